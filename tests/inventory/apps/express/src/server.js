import express from 'express';
import * as Sentry from '@sentry/node';
import mongoose from 'mongoose';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { sendCode } from './sms.js';

Sentry.init({ dsn: process.env.SENTRY_DSN });
await mongoose.connect(process.env.MONGODB_URI);
const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY);
const app = express();
app.use(express.json());

app.post('/api/chat', async (req, res) => {
  const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' });
  const result = await model.generateContent(req.body.message);
  res.json({ reply: result.response.text() });
});

app.post('/api/login/code', async (req, res) => {
  await sendCode(req.body.phone);
  res.status(204).end();
});

app.listen(process.env.PORT || 3000);
