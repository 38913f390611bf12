require('dotenv').config();
const Sentry = require('@sentry/node');

Sentry.init({ dsn: process.env.SENTRY_DSN, sendDefaultPii: false });
const express = require('express');
const cors = require('cors');
const session = require('express-session');
const multer = require('multer');
const rateLimit = require('express-rate-limit');
const Stripe = require('stripe');
const OpenAI = require('openai');

const app = express();
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const stripe = new Stripe(process.env.STRIPE_API_KEY);
const upload = multer({ dest: 'uploads/', limits: { fileSize: 10 * 1024 * 1024, files: 1 } });
const allowedOrigins = ['https://app.example.com'];
const limiter = rateLimit({ windowMs: 60 * 1000, limit: 20 });

console.log('booting; port', process.env.PORT);

app.use(cors({ origin: allowedOrigins, credentials: true }));
app.use(session({
  secret: process.env.SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: { secure: true, httpOnly: true, sameSite: 'lax' },
}));

app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (allowedOrigins.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
  next();
});

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (req, res) => {
  let event;
  try {
    event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'], process.env.STRIPE_WEBHOOK_SECRET);
  } catch (err) {
    return res.status(400).send('bad signature');
  }
  if (event.type === 'checkout.session.completed') markPaid(event.data.object.id);
  res.sendStatus(200);
});

app.use(express.json());

app.post('/api/chat', limiter, async (req, res) => {
  console.log('chat request', req.headers['x-request-id']);
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: req.body.message }],
  });
  res.json({ answer: completion.choices[0].message.content });
});

app.post('/login', limiter, async (req, res) => {
  const token = await issueToken(req.body.email, req.body.password);
  res.cookie('token', token, { httpOnly: true, secure: true, sameSite: 'strict' });
  res.json({ ok: true });
});

app.post('/upload', limiter, upload.single('file'), (req, res) => {
  res.json({ name: req.file.originalname });
});

app.get('/health', (req, res) => res.json({ status: 'ok' }));

app.listen(process.env.PORT || 3000);
