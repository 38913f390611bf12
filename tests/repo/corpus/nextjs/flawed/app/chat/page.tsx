'use client';

import { useState } from 'react';
import OpenAI from 'openai';

// Calling the model straight from the browser "to save a round trip".
const openai = new OpenAI({ // expect: repo.secrets-ai-client-component
  apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, // expect: repo.secrets-ai-public-env-key
  dangerouslyAllowBrowser: true, // expect: repo.secrets-ai-browser-client
});

export default function ChatPage() {
  const [answer, setAnswer] = useState('');
  async function send(message: string) {
    const res = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: message }],
    });
    setAnswer(res.choices[0].message.content ?? '');
  }
  return (
    <main>
      <p>Ask anything. Don't paste passwords.</p>
      <button onClick={() => send('hello')}>Send</button>
      <pre>{answer}</pre>
    </main>
  );
}
