import { randomBytes } from 'node:crypto';
import { generate } from 'selfsigned';
import { SignedXml } from 'xml-crypto';

const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
const ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';

/** What a test response says; everything but the subject and the SP has a valid default. */
export interface ResponseOptions {
  readonly nameId: string;
  /** The SP entity id, as the AudienceRestriction names it. */
  readonly audience: string;
  /** The ACS URL, as the bearer confirmation's Recipient and the Response's Destination. */
  readonly recipient: string;
  /** The assertion's (and the response's) issuer; the IdP's own by default. */
  readonly issuer?: string;
  /** End of the bearer confirmation; five minutes from now by default. */
  readonly confirmationEnds?: Date;
  /** End of the Conditions; five minutes from now by default. */
  readonly conditionsEnd?: Date;
  /** Which elements to sign: both (the default), either one, or neither. */
  readonly sign?: 'both' | 'assertion' | 'response' | 'none';
}

/** A key pair and certificate that sign SAML responses, as an identity provider does. */
export interface SigningKey {
  readonly privateKey: string;
  readonly cert: string;
}

/**
 * A test identity provider: real RSA-2048 keys, a self-signed certificate, and SAML 2.0
 * responses signed with xml-crypto as real providers sign them (the Assertion, then the
 * Response; RSA-SHA256, exclusive c14n, the Signature right after the Issuer).
 */
export class TestIdp {
  readonly entityId = 'https://idp.test.example/saml/metadata';
  readonly entryPoint = 'https://idp.test.example/saml/sso';

  private constructor(private readonly key: SigningKey) {}

  static async create(): Promise<TestIdp> {
    return new TestIdp(await signingKey());
  }

  /** The certificate to configure at the SP: PEM. */
  get cert(): string {
    return this.key.cert;
  }

  /** A response XML document, signed by this provider's key or by `key`. */
  response(options: ResponseOptions, key: SigningKey = this.key): string {
    const sign = options.sign ?? 'both';
    let xml = this.unsigned(options);
    if (sign === 'both' || sign === 'assertion') xml = signElement(xml, 'Assertion', key);
    if (sign === 'both' || sign === 'response') xml = signElement(xml, 'Response', key);
    return xml;
  }

  /** The same, base64 as the HTTP-POST binding carries it. */
  encoded(options: ResponseOptions, key?: SigningKey): string {
    return encode(this.response(options, key));
  }

  private unsigned(options: ResponseOptions): string {
    const now = Date.now();
    const instant = new Date(now).toISOString();
    const soon = new Date(now + 5 * 60_000);
    const issuer = `<saml:Issuer>${escape(options.issuer ?? this.entityId)}</saml:Issuer>`;
    const subject = [
      '<saml:Subject>',
      `<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">`,
      `${escape(options.nameId)}</saml:NameID>`,
      '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">',
      `<saml:SubjectConfirmationData Recipient="${escape(options.recipient)}"`,
      ` NotOnOrAfter="${(options.confirmationEnds ?? soon).toISOString()}"/>`,
      '</saml:SubjectConfirmation></saml:Subject>',
    ];
    const conditions = [
      `<saml:Conditions NotBefore="${new Date(now - 60_000).toISOString()}"`,
      ` NotOnOrAfter="${(options.conditionsEnd ?? soon).toISOString()}">`,
      `<saml:AudienceRestriction><saml:Audience>${escape(options.audience)}</saml:Audience>`,
      '</saml:AudienceRestriction></saml:Conditions>',
    ];
    const authn = [
      `<saml:AuthnStatement AuthnInstant="${instant}" SessionIndex="${newId()}">`,
      '<saml:AuthnContext><saml:AuthnContextClassRef>',
      'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      '</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>',
    ];
    return [
      `<samlp:Response xmlns:samlp="${PROTOCOL}" xmlns:saml="${ASSERTION}" ID="${newId()}"`,
      ` Version="2.0" IssueInstant="${instant}" Destination="${escape(options.recipient)}">`,
      issuer,
      `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>`,
      '</samlp:Status>',
      `<saml:Assertion xmlns:saml="${ASSERTION}" ID="${newId()}" Version="2.0"`,
      ` IssueInstant="${instant}">`,
      issuer,
      ...subject,
      ...conditions,
      ...authn,
      '</saml:Assertion></samlp:Response>',
    ].join('');
  }
}

/** A fresh RSA-2048 key pair with a self-signed certificate. */
export async function signingKey(name = 'Test IdP'): Promise<SigningKey> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    keyType: 'rsa',
    keySize: 2048,
    algorithm: 'sha256',
  });
  return { privateKey: pems.private, cert: pems.cert };
}

/** Base64 of a document, as a form field carries a SAML message. */
export function encode(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

/** Signs the (single) element `name` by its ID; the Signature goes right after its Issuer. */
function signElement(xml: string, name: 'Assertion' | 'Response', key: SigningKey): string {
  const element =
    name === 'Response' ? `/*[local-name(.)='Response']` : `//*[local-name(.)='Assertion']`;
  const signer = new SignedXml({
    privateKey: key.privateKey,
    publicCert: key.cert,
    signatureAlgorithm: RSA_SHA256,
    canonicalizationAlgorithm: EXC_C14N,
  });
  signer.addReference({
    xpath: element,
    digestAlgorithm: SHA256,
    transforms: [ENVELOPED, EXC_C14N],
  });
  signer.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${element}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signer.getSignedXml();
}

function newId(): string {
  return `_${randomBytes(16).toString('hex')}`;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
