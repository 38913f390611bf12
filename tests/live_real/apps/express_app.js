// Express 5 on node. MODE=good|flawed (see README.md).
"use strict";
const express = require("express");

const GOOD = process.env.MODE === "good";
const TOKENS = { [process.env.TOKEN_A]: "a", [process.env.TOKEN_B]: "b" };
const NOTES = { "1": { owner: "a", text: process.env.NOTE_A } };
const PAGE = '<!doctype html><html><head><title>Notes</title></head><body><div id=app></div><script src="/static/app.js"></script></body></html>';
const SITE = process.env.SITE_ORIGIN;
const calls = [];
const app = express();
if (GOOD) app.disable("x-powered-by");

app.use((req, res, next) => {
  const origin = req.get("Origin");
  if (origin && (!GOOD || origin === SITE)) {
    res.set("Access-Control-Allow-Origin", origin);
    res.set("Access-Control-Allow-Credentials", "true");
    res.set("Vary", "Origin");
  }
  if (req.method === "OPTIONS") {
    res.set("Access-Control-Allow-Methods", GOOD ? "GET, POST" : req.get("Access-Control-Request-Method") || "*");
    res.set("Access-Control-Allow-Headers", GOOD ? "content-type, authorization" : req.get("Access-Control-Request-Headers") || "*");
    return res.status(204).end();
  }
  next();
});

function user(req) {
  const auth = req.get("Authorization") || "";
  return auth.startsWith("Bearer ") ? TOKENS[auth.slice(7).trim()] || null : null;
}

app.get("/", (req, res) => {
  res.cookie("connect.sid", "s%3A" + Math.random().toString(36).slice(2), GOOD ? { httpOnly: true, secure: true, sameSite: "lax" } : {});
  res.type("html").send(PAGE);
});
app.get("/health", (req, res) => res.json({ status: "ok" }));
app.get("/api/me", (req, res) => res.json({ user: user(req) }));

app.post("/api/echo", express.json({ limit: GOOD ? "1mb" : "50mb", strict: true, type: GOOD ? "application/json" : "*/*" }), (req, res) => {
  if (GOOD) {
    if (!req.is("application/json")) return res.status(415).json({ error: "application/json only" });
    const b = req.body;
    if (!b || typeof b.name !== "string" || typeof b.count !== "number") return res.status(422).json({ error: "bad types" });
    return res.json({ name: b.name, count: b.count });
  }
  res.json({ name: req.body.name.toUpperCase(), count: req.body.count + 1 });
});

app.post("/api/chat", (req, res) => {
  const now = Date.now();
  while (calls.length && now - calls[0] > 60000) calls.shift();
  calls.push(now);
  if (GOOD && calls.length > 5) return res.status(429).set("Retry-After", "60").json({ error: "Too Many Requests" });
  res.json({ answer: "hello" });
});

app.get("/api/notes/:id", (req, res) => {
  const who = user(req);
  if (!who) return res.status(401).json({ error: "login required" });
  const n = NOTES[req.params.id];
  if (!n || (GOOD && n.owner !== who)) return res.status(404).json({ error: "not found" });
  res.json(n);
});

if (GOOD) {
  // production error handler: no stack traces
  app.use((err, req, res, next) => res.status(err.status || 500).json({ error: err.expose ? err.message : "error" }));
}
app.listen(Number(process.env.PORT), "127.0.0.1");
