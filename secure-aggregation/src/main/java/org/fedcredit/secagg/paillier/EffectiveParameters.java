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
    String keyId) {}
