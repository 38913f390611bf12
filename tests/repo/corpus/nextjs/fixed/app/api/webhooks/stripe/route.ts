import Stripe from 'stripe';
import { NextResponse } from 'next/server';
import { markPaid } from '@/lib/billing';

const stripe = new Stripe(process.env.STRIPE_API_KEY!);

export async function POST(req: Request) {
  const body = await req.text();
  const signature = req.headers.get('stripe-signature') ?? '';
  let event: Stripe.Event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, process.env.STRIPE_WEBHOOK_SECRET!);
  } catch {
    return NextResponse.json({ error: 'bad signature' }, { status: 400 });
  }
  if (event.type === 'checkout.session.completed') {
    await markPaid(event.data.object.id);
  }
  return NextResponse.json({ received: true });
}
