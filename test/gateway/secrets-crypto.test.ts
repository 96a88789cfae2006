/**
 * The secret store's encryption (AES-256-GCM bound to cluster and path), its key in the
 * configuration, and the key file a Node gateway generates on first start.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, parseGatewayConfig } from "../../gateway/config.js";
import { createSecretBox, SecretOpenError } from "../../gateway/lib/secret-box.js";
import { loadOrCreateSecretsKey } from "../../gateway/runtime/node/secrets-key.js";

const key = (seed: number) => Uint8Array.from({ length: 32 }, (_, i) => (i * 31 + seed) % 256);
const at = { clusterId: "cl_a", path: "db/password" };

async function failure(p: Promise<unknown>): Promise<SecretOpenError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SecretOpenError);
  return e as SecretOpenError;
}

describe("secret box", () => {
  it("opens what it sealed, for any text", async () => {
    const box = createSecretBox(key(1));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 200 }), async (text) => {
        expect(await box.open(await box.seal(text, at), at)).toBe(text);
      }),
      { numRuns: 50 },
    );
  });

  it("does not open a value moved to another cluster or path", async () => {
    const box = createSecretBox(key(1));
    const sealed = await box.seal("hunter2", at);
    for (const other of [
      { ...at, clusterId: "cl_b" },
      { ...at, path: "db/password2" },
      // The binding is not a plain concatenation: shifting text between the parts changes it.
      { clusterId: "cl_adb", path: "password" },
    ]) {
      expect((await failure(box.open(sealed, other))).reason).toBe("UNDECRYPTABLE");
    }
  });

  it("does not open an altered ciphertext or IV", async () => {
    const box = createSecretBox(key(1));
    const sealed = await box.seal("hunter2", at);
    const flipped = sealed.ciphertext.slice();
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect((await failure(box.open({ ...sealed, ciphertext: flipped }, at))).reason).toBe("UNDECRYPTABLE");
    const iv = sealed.iv.slice();
    iv[0] = (iv[0] ?? 0) ^ 1;
    expect((await failure(box.open({ ...sealed, iv }, at))).reason).toBe("UNDECRYPTABLE");
  });

  it("says so when a value was sealed with another key, naming both key ids", async () => {
    const sealed = await createSecretBox(key(1)).seal("hunter2", at);
    const other = createSecretBox(key(2));
    const e = await failure(other.open(sealed, at));
    expect(e.reason).toBe("KEY_MISMATCH");
    expect(e.message).toContain(sealed.keyId);
    expect(e.message).toContain(await other.keyId());
    // Even with the key id forged, the wrong key does not decrypt.
    const forged = { ...sealed, keyId: await other.keyId() };
    expect((await failure(other.open(forged, at))).reason).toBe("UNDECRYPTABLE");
  });

  it("uses a fresh IV for every seal and never stores the plaintext", async () => {
    const box = createSecretBox(key(1));
    const [a, b] = [await box.seal("same text", at), await box.seal("same text", at)];
    expect([...a.iv]).not.toEqual([...b.iv]);
    expect([...a.ciphertext]).not.toEqual([...b.ciphertext]);
    expect(new TextDecoder().decode(a.ciphertext)).not.toContain("same text");
  });

  it("refuses a key that is not 32 bytes", () => {
    expect(() => createSecretBox(new Uint8Array(16))).toThrow(/32 bytes/);
  });
});

describe("FLOTILLA_SECRETS_KEY", () => {
  it("is the base64 of 32 bytes", () => {
    const text = Buffer.from(key(3)).toString("base64");
    expect(parseGatewayConfig({ FLOTILLA_SECRETS_KEY: text }).secretsKey).toEqual(key(3));
    expect(parseGatewayConfig({}).secretsKey).toBeUndefined();
  });

  it("is refused, by name and with what to do, when it is not", () => {
    for (const [value, why] of [
      [Buffer.alloc(16).toString("base64"), /decodes to 16 bytes/],
      ["not base64!", /is not base64/],
    ] as const) {
      const parse = () => parseGatewayConfig({ FLOTILLA_SECRETS_KEY: value });
      expect(parse).toThrow(ConfigError);
      expect(parse).toThrow(
        /FLOTILLA_SECRETS_KEY: must be the base64 of 32 random bytes .*openssl rand -base64 32/,
      );
      expect(parse).toThrow(why);
    }
  });
});

describe("the Node gateway's key file", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  const tempDir = async () => {
    const d = await mkdtemp(join(tmpdir(), "flotilla-key-"));
    dirs.push(d);
    return d;
  };

  it("is generated on first start with mode 0600 and read back on later starts", async () => {
    const file = join(await tempDir(), "data", "secrets.key");
    const first = await loadOrCreateSecretsKey(file);
    expect(first.created).toBe(true);
    expect(first.key.length).toBe(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await loadOrCreateSecretsKey(file);
    expect(second).toEqual({ key: first.key, created: false, exposed: false });
    expect((await readFile(file, "utf8")).trim()).toBe(Buffer.from(first.key).toString("base64"));
  });

  it("refuses a damaged file rather than replacing it", async () => {
    const file = join(await tempDir(), "secrets.key");
    await writeFile(file, "c2hvcnQ=\n", { mode: 0o600 });
    await expect(loadOrCreateSecretsKey(file)).rejects.toThrow(/does not hold the base64 of 32 bytes/);
    expect(await readFile(file, "utf8")).toBe("c2hvcnQ=\n");
  });

  it("reports a file that others may read", async () => {
    const file = join(await tempDir(), "secrets.key");
    await writeFile(file, `${Buffer.from(key(4)).toString("base64")}\n`, { mode: 0o644 });
    expect((await loadOrCreateSecretsKey(file)).exposed).toBe(true);
  });
});
