'use strict';
// Interop harness: vscode-jsonrpc (the LSP's reference implementation, StreamJsonRpc-compatible framing) facing
// Launcher.Rpc over a Unix socket. Driven by tests/Launcher.Rpc.Tests/Interop; every line on stdout is one JSON object.
//
//   node harness.js server <socket>   serve test methods on <socket>; prints {"event":"listening"} when ready
//   node harness.js client <socket>   connect, run the scripted calls, print {"step":...} per call, exit 0
//   node harness.js raw <socket>      write hand-made frames (malformed too), print every reply, exit 0

const net = require('net');
const rpc = require('vscode-jsonrpc/node');

const RequestCancelled = -32800;

function out(obj) {
    process.stdout.write(JSON.stringify(obj) + '\n');
}

function connectionOn(socket) {
    const connection = rpc.createMessageConnection(new rpc.SocketMessageReader(socket), new rpc.SocketMessageWriter(socket));
    connection.onError(([error]) => out({ event: 'error', message: String(error && error.message) }));
    connection.onUnhandledNotification((message) => out({ event: 'unhandledNotification', method: message.method }));
    return connection;
}

async function serve(path) {
    let cancelled = 0;
    const server = net.createServer((socket) => {
        const connection = connectionOn(socket);
        connection.onRequest('test/echo', (params) => ({ text: params.text, count: params.count }));
        connection.onRequest('test/fail', (params) => {
            throw new rpc.ResponseError(params.code, params.message, params.data);
        });
        connection.onRequest('test/callback', async (params) => {
            const reply = await connection.sendRequest('client/add', { a: params.a, b: params.b });
            return { sum: reply.sum };
        });
        connection.onRequest('test/notifyMe', async (params) => {
            for (let n = 0; n < params.count; n++) {
                await connection.sendNotification('server/tick', { n });
            }
            return { count: params.count };
        });
        connection.onRequest('test/slow', (params, token) => new Promise((resolve, reject) => {
            const timer = setTimeout(() => resolve({ done: true }), params.ms);
            token.onCancellationRequested(() => {
                clearTimeout(timer);
                cancelled++;
                out({ event: 'cancelled' });
                reject(new rpc.ResponseError(RequestCancelled, 'cancelled'));
            });
            connection.sendNotification('server/started', {});
        }));
        connection.onRequest('test/cancelCount', () => ({ count: cancelled }));
        connection.onRequest('test/hangUp', () => {
            // Never answers: the socket goes away with the call pending.
            setTimeout(() => socket.destroy(), 10);
            return new Promise(() => { });
        });
        connection.onNotification('client/ping', (params) => {
            connection.sendNotification('server/pong', { text: 'pong:' + params.text });
        });
        connection.onClose(() => out({ event: 'closed' }));
        connection.listen();
    });
    server.listen(path, () => out({ event: 'listening' }));
    process.on('SIGTERM', () => process.exit(0));
}

async function client(path) {
    const socket = net.connect(path);
    await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
    });
    const connection = connectionOn(socket);
    connection.onRequest('client/add', (params) => ({ sum: params.a + params.b }));
    const waiters = {};
    function waitFor(method) {
        return new Promise((resolve) => { waiters[method] = resolve; });
    }
    for (const method of ['server/pong', 'server/started']) {
        connection.onNotification(method, (params) => {
            const resolve = waiters[method];
            delete waiters[method];
            if (resolve) resolve(params);
        });
    }
    connection.listen();

    async function step(name, call) {
        try {
            out({ step: name, result: await call() });
        } catch (error) {
            out({ step: name, error: { code: error.code, message: error.message, data: error.data } });
        }
    }

    await step('echo', () => connection.sendRequest('test/echo', { text: 'h\u00e9llo \u4e16', count: 3 }));
    await step('echoPositional', () => connection.sendRequest('test/echo', rpc.ParameterStructures.byPosition, { text: 'pos', count: 1 }));
    await step('fail', () => connection.sendRequest('test/fail', { code: 4001, message: 'nope', data: { reason: 'because', n: 7 } }));
    await step('unknown', () => connection.sendRequest('test/nope', {}));
    await step('badParams', () => connection.sendRequest('test/echo', { count: 'three' }));
    await step('internal', () => connection.sendRequest('test/throw', {}));
    await step('callback', () => connection.sendRequest('test/callback', { a: 2, b: 40 }));
    await step('notify', async () => {
        const pong = waitFor('server/pong');
        await connection.sendNotification('client/ping', { text: 'hi' });
        return pong;
    });
    await step('cancel', async () => {
        const source = new rpc.CancellationTokenSource();
        const started = waitFor('server/started');
        const call = connection.sendRequest('test/wait', {}, source.token);
        call.catch(() => { });
        await Promise.race([started, call]);
        source.cancel();
        return call;
    });
    await step('afterCancel', () => connection.sendRequest('test/echo', { text: 'still', count: 0 }));
    connection.dispose();
    socket.end();
}

async function raw(path) {
    const socket = net.connect(path);
    await new Promise((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
    });
    const reader = new rpc.SocketMessageReader(socket);
    let done;
    const finished = new Promise((resolve) => { done = resolve; });
    reader.onError((error) => out({ event: 'error', message: String(error && error.message) }));
    reader.listen((message) => {
        out({ message });
        if (message.id === 'last') done();
    });
    const frame = (body) => {
        const bytes = Buffer.from(body, 'utf8');
        return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n`, 'ascii'), bytes]);
    };
    socket.write(frame('{"jsonrpc":"2.0","id":1,'));
    socket.write(frame('[{"jsonrpc":"2.0","id":2,"method":"test/echo","params":{"text":"a"}}]'));
    socket.write(frame('{"jsonrpc":"1.0","id":3,"method":"test/echo","params":{"text":"a"}}'));
    socket.write(frame('{"jsonrpc":"2.0","id":4.5,"method":"test/echo","params":{"text":"a"}}'));
    socket.write(frame('{"jsonrpc":"2.0","method":"no/such/notification"}'));
    socket.write(frame('{"jsonrpc":"2.0","id":"s-5","method":"test/echo","params":{"text":5}}'));
    socket.write(frame('{"jsonrpc":"2.0","id":"last","method":"test/echo","params":{"text":"end","count":9}}'));
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 10000))]);
    socket.end();
}

const [mode, path] = process.argv.slice(2);
if (!path || !['server', 'client', 'raw'].includes(mode)) {
    process.stderr.write('usage: node harness.js server|client|raw <socket path>\n');
    process.exit(2);
}

({ server: serve, client, raw })[mode](path).catch((error) => {
    process.stderr.write(String(error && error.stack || error) + '\n');
    process.exit(1);
});
