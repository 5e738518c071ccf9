// A plain Node http server for the eBPF receiver's kernel tests.
// Usage: node server.js PORT. Routes: /ok, /status/<code>, /big (1 MiB), /echo (POST body back); anything else 404.
'use strict';
const http = require('http');

const big = Buffer.alloc(1 << 20, 'n');

function send(res, code, body) {
  res.writeHead(code, { 'Content-Type': 'text/plain', 'Content-Length': body.length });
  res.end(body);
}

http.createServer((req, res) => {
  const status = /^\/status\/(\d+)$/.exec(req.url);
  if (req.method === 'GET' && req.url === '/ok') {
    send(res, 200, Buffer.from('ok\n'));
  } else if (req.method === 'GET' && status) {
    send(res, Number(status[1]), Buffer.from('status\n'));
  } else if (req.method === 'GET' && req.url === '/big') {
    send(res, 200, big);
  } else if (req.method === 'POST' && req.url === '/echo') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => send(res, 200, Buffer.concat(chunks)));
  } else {
    send(res, 404, Buffer.from('not found\n'));
  }
}).listen(Number(process.argv[2]), '127.0.0.1');
