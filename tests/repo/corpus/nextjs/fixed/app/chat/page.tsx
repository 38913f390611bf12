'use client';

import { useState } from 'react';

// The model is called by app/api/chat/route.ts on the server; the key never reaches the browser.
export default function ChatPage() {
  const [answer, setAnswer] = useState('');
  async function send(message: string) {
    const res = await fetch('/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: message }),
    });
    const data = await res.json();
    setAnswer(data.answer);
  }
  return (
    <main>
      <p>Ask anything. Don't paste passwords.</p>
      <button onClick={() => send('hello')}>Send</button>
      <pre>{answer}</pre>
    </main>
  );
}
