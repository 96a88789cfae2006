// `npm start`: the whole system (gateway, embedded database, sample catalog, a local cluster
// with an agent) arrives with the gateway and agent issues. Until then, say so plainly.
console.log("Flotilla: `npm start` is not available yet — the gateway and agent are still being built.");
console.log("What works today: `npx flotilla lint <path>` (see README.md) and `npm test`.");
