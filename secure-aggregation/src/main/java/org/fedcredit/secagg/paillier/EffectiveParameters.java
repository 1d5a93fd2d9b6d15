package org.fedcredit.secagg.paillier;

/**
 * The crypto parameters an engine actually uses, as written to logs and the audit trail.
 *
 * @param scheme always {@code paillier-djn}
 * @param keyBits bit length of n
 * @param exponentBits random exponent length
 * @param windowBits fixed-base window
 * @param kernel the modular-product kernel, with intrinsic status
 * @param threads worker threads
 * @param encryptionPath {@code crt} for the key owner, {@code public} otherwise
 * @param keyId the key's id
 */
public record EffectiveParameters(
    String scheme,
    int keyBits,
    int exponentBits,
    int windowBits,
    String kernel,
    int threads,
    String encryptionPath,
    String keyId) {

  /** As written to the audit log: every field, and the library that computed ({@code library}). */
  public java.util.Map<String, Object> asAuditMap() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("scheme", scheme);
    m.put("key_bits", keyBits);
    m.put("exponent_bits", exponentBits);
    m.put("window_bits", windowBits);
    m.put("kernel", kernel);
    m.put("threads", threads);
    m.put("encryption_path", encryptionPath);
    m.put("key_id", keyId);
    m.put(
        "library",
        org.fedcredit.secagg.Library.NAME + " " + org.fedcredit.secagg.Library.version());
    return m;
  }
}
