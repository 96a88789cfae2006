/**
 * Encryption at rest of the cluster secret store: AES-256-GCM through WebCrypto (the same code
 * on Workers and Node), a fresh 96-bit IV per write, and the secret's cluster id and path as
 * additional authenticated data — a row copied to another cluster or path does not decrypt.
 * Each sealed value records the id of the key that sealed it (a hash of the key, not the key),
 * so a gateway started with another key says so instead of failing obscurely.
 */

const AAD_VERSION = "flotilla-secret/v1";
const KEY_ID_LABEL = "flotilla-secrets-key-id\0";

/** Where a secret lives; bound into its ciphertext. */
export interface SecretBinding {
  clusterId: string;
  path: string;
}

export interface SealedSecret {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  keyId: string;
}

export type SecretOpenFailure = "KEY_MISMATCH" | "UNDECRYPTABLE";

export class SecretOpenError extends Error {
  override readonly name = "SecretOpenError";
  constructor(
    readonly reason: SecretOpenFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretBox {
  /** 16 hex characters naming the key (a hash of it), stored with every sealed value. */
  keyId(): Promise<string>;
  seal(plaintext: string, binding: SecretBinding): Promise<SealedSecret>;
  /** The plaintext; throws SecretOpenError when the key differs or the row was moved or altered. */
  open(sealed: SealedSecret, binding: SecretBinding): Promise<string>;
}

const bytes = (data: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(data);
const aad = (b: SecretBinding) =>
  new TextEncoder().encode(JSON.stringify([AAD_VERSION, b.clusterId, b.path]));

/**
 * A box for the 32-byte `rawKey`. The key is imported lazily (on first use), so entries that
 * build their app synchronously (Workers) can make one.
 * @example const box = createSecretBox(config.secretsKey); await box.seal("hunter2", { clusterId, path })
 */
export function createSecretBox(rawKey: Uint8Array): SecretBox {
  if (rawKey.length !== 32) throw new Error("the secrets key must be 32 bytes (AES-256)");
  const raw = bytes(rawKey);
  let key: ReturnType<typeof crypto.subtle.importKey> | undefined;
  let id: Promise<string> | undefined;
  const cryptoKey = () => {
    key ??= crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
    return key;
  };
  const keyId = () => {
    id ??= (async () => {
      const label = new TextEncoder().encode(KEY_ID_LABEL);
      const input = new Uint8Array(label.length + raw.length);
      input.set(label);
      input.set(raw, label.length);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
      return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
    })();
    return id;
  };
  return {
    keyId,
    async seal(plaintext, binding) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const ciphertext = await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData: aad(binding) },
        await cryptoKey(),
        new TextEncoder().encode(plaintext),
      );
      return { ciphertext: new Uint8Array(ciphertext), iv, keyId: await keyId() };
    },
    async open(sealed, binding) {
      const mine = await keyId();
      if (sealed.keyId !== mine)
        throw new SecretOpenError(
          "KEY_MISMATCH",
          `it was encrypted with the secrets key ${sealed.keyId}, and this gateway has the key ${mine}`,
        );
      let plain: ArrayBuffer;
      try {
        plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: bytes(sealed.iv), additionalData: aad(binding) },
          await cryptoKey(),
          bytes(sealed.ciphertext),
        );
      } catch {
        throw new SecretOpenError(
          "UNDECRYPTABLE",
          "it does not decrypt: the row was altered, or copied from another cluster or path",
        );
      }
      return new TextDecoder().decode(plain);
    },
  };
}
