// Child process of rest.js: runs one autocannon load and sends back its
// result, so the load generator has a core of its own and never competes
// with the server's event loop in the same process.
import autocannon from 'autocannon';

process.once('message', (opts) => {
  autocannon({ ...opts, renderProgressBar: false }, (error, result) => {
    if (error) {
      process.send({ error: String(error) }, () => process.exit(1));
      return;
    }
    process.send({ result }, () => process.exit(0));
  });
});
