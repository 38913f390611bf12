require('dotenv').config();
const express = require('express');
const cors = require('cors');
const session = require('express-session');
const multer = require('multer');
const OpenAI = require('openai');

const app = express(); // expect: repo.error-tracking-missing
const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const upload = multer({ dest: 'uploads/' }); // expect: repo.upload-no-limit

console.log('booting with', process.env); // expect: repo.logging-env-dump

app.use(cors({
  origin: true, // expect: repo.cors-wildcard-credentials
  credentials: true,
}));
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false })); // expect: repo.auth-cookie-insecure
app.use(express.json());

app.use((req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', req.headers.origin); // expect: repo.cors-origin-reflected
  next();
});

app.post('/api/chat', async (req, res) => { // expect: repo.ratelimit-missing
  console.log('chat request', req.headers); // expect: repo.logging-request-headers
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: req.body.message }],
  });
  res.json({ answer: completion.choices[0].message.content });
});

app.post('/login', async (req, res) => { // listed in the ratelimit finding at /api/chat
  const token = await issueToken(req.body.email, req.body.password);
  res.cookie('token', token, { httpOnly: true }); // expect: repo.auth-cookie-insecure
  res.json({ ok: true });
});

app.post('/upload', upload.single('file'), (req, res) => { // listed in the ratelimit finding at /api/chat
  res.json({ name: req.file.originalname });
});

app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), (req, res) => { // expect: repo.auth-webhook-unverified
  const event = JSON.parse(req.body.toString());
  if (event.type === 'checkout.session.completed') markPaid(event.data.object.id);
  res.sendStatus(200);
});

app.get('/health', (req, res) => res.json({ status: 'ok' }));

app.listen(process.env.PORT || 3000);
