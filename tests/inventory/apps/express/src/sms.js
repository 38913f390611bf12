import twilio from 'twilio';

const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM } = process.env;
const client = twilio(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN);

export async function sendCode(phone) {
  return client.messages.create({ to: phone, from: TWILIO_FROM, body: 'Your code: 123456' });
}
