const jwt = require('jsonwebtoken');

async function issueToken(email, password) {
  // never: console.log(password)
  return jwt.sign({ sub: email }, process.env.JWT_SECRET, { expiresIn: '1h' });
}

module.exports = { issueToken };
