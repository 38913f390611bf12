import OpenAI from 'openai';
import { NextResponse } from 'next/server';

const openai = new OpenAI();

export async function POST(req: Request) { // expect: repo.ratelimit-missing
  console.log('incoming', req.headers); // expect: repo.logging-request-headers
  const { prompt } = await req.json();
  console.info({ prompt }); // expect: repo.logging-prompt
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
  });
  return NextResponse.json({ answer: completion.choices[0].message.content });
}
