// Tests may do anything: none of this is reported.
const request = require('supertest');
console.log(process.env);

test('chat', async () => {
  const res = await request(app).post('/api/chat').send({ message: 'hi' });
  expect(res.status).toBe(200);
});
