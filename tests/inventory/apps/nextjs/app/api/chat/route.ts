import OpenAI from 'openai';
import { Pinecone } from '@pinecone-database/pinecone';

const openai = new OpenAI();
const pc = new Pinecone({ apiKey: process.env.PINECONE_API_KEY! });
const index = pc.index(process.env.PINECONE_INDEX ?? 'docs');

export async function POST(req: Request) {
  const { message } = await req.json();
  const context = await index.query({ topK: 3, vector: [] });
  const reply = await openai.chat.completions.create({
    model: process.env.OPENAI_MODEL || 'gpt-4o-mini',
    messages: [{ role: 'user', content: message }],
  });
  return Response.json({ reply: reply.choices[0].message.content, context });
}
