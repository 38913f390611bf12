import { NextResponse } from 'next/server';
import { markPaid } from '@/lib/billing';

export async function POST(req: Request) { // expect: repo.auth-webhook-unverified
  const event = await req.json();
  if (event.type === 'checkout.session.completed') {
    await markPaid(event.data.object.id);
  }
  return NextResponse.json({ received: true });
}
