// The independent check of the wallet's derived ecdsa-sd-2023 proofs: Digital Bazaar's
// cryptosuite through jsonld-signatures, which shares no code with the wallet.
//
// usage: node verify_sd.mjs <input.json>
//   input: {"contexts": {url: path}, "credentials": [vc...]}
// prints one JSON line: {"results": [{"verified": bool, "error": str|null}, ...]}
//
// The document loader serves only the wallet's bundled contexts and resolves did:key
// verification methods locally: nothing reaches the network.
import {readFileSync} from 'node:fs';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {createVerifyCryptosuite} from '@digitalbazaar/ecdsa-sd-2023-cryptosuite';
import jsigs from 'jsonld-signatures';

const {purposes: {AssertionProofPurpose}} = jsigs;

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

const suite = new DataIntegrityProof({cryptosuite: createVerifyCryptosuite()});
const results = [];
for(const credential of input.credentials) {
  try {
    const result = await jsigs.verify(credential, {
      suite, purpose: new AssertionProofPurpose(), documentLoader
    });
    const error = result.verified ? null :
      String(result.error?.errors?.[0]?.message || result.error?.message || result.error);
    results.push({verified: result.verified, error});
  } catch(error) {
    results.push({verified: false, error: String(error?.message || error)});
  }
}
console.log(JSON.stringify({results}));
