// The reference verifier for the verification benchmark: @digitalbazaar/vc with
// the eddsa-rdfc-2022 cryptosuite, on the same credentials the wallet verifies.
//
// usage: node verify.mjs <input.json>
//   input: {"contexts": {url: path}, "warmup": [vc...], "credentials": [vc...], "passes": n}
// prints one JSON line: {"count", "verified", "seconds", "per_credential_ms"} for the
// best of `passes` passes over the credentials, after one pass over `warmup`.
//
// The document loader serves the wallet's own bundled contexts (the same files)
// and resolves did:key verification methods locally, so neither side touches
// the network and both do the same JSON-LD work.
import {readFileSync} from 'node:fs';
import {performance} from 'node:perf_hooks';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const contexts = new Map(
  Object.entries(input.contexts).map(
    ([url, path]) => [url, JSON.parse(readFileSync(path, 'utf8'))]));

function didKeyDocument(did) {
  const fingerprint = did.slice('did:key:'.length);
  const id = `${did}#${fingerprint}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{
      id, type: 'Multikey', controller: did, publicKeyMultibase: fingerprint
    }],
    assertionMethod: [id]
  };
}

async function documentLoader(url) {
  if(contexts.has(url)) {
    return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
  }
  if(url.startsWith('did:key:')) {
    const [did, fragment] = url.split('#');
    const didDocument = didKeyDocument(did);
    const document = fragment ?
      {'@context': 'https://w3id.org/security/multikey/v1',
        ...didDocument.verificationMethod[0]} :
      didDocument;
    return {contextUrl: null, documentUrl: url, document};
  }
  throw new Error(`refused to load ${url}`);
}

const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

async function verifyAll(credentials) {
  let verified = 0;
  for(const credential of credentials) {
    const result = await vc.verifyCredential({credential, suite, documentLoader});
    if(result.verified) {
      verified += 1;
    } else if(process.env.BENCH_DEBUG) {
      console.error(JSON.stringify(result.error, null, 1));
    }
  }
  return verified;
}

await verifyAll(input.warmup);
const passes = input.passes || 1;
const timings = [];
let verified = 0;
for(let pass = 0; pass < passes; pass++) {
  const start = performance.now();
  verified = await verifyAll(input.credentials);
  timings.push((performance.now() - start) / 1000);
}
timings.sort((a, b) => a - b);
const seconds = timings[0];
const count = input.credentials.length;
console.log(JSON.stringify({
  count, verified, seconds, per_credential_ms: seconds * 1000 / count
}));
