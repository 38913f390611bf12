import OpenAI from 'openai';
import { NextResponse } from 'next/server';

const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });

export async function POST(req: Request) {
  console.log('incoming', req.headers.get('x-request-id'));
  const { prompt } = await req.json();
  console.info({ promptLength: prompt.length });
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
  });
  return NextResponse.json({ answer: completion.choices[0].message.content });
}
