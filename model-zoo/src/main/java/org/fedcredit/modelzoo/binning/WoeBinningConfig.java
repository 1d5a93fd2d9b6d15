package org.fedcredit.modelzoo.binning;

import java.util.Objects;
import org.fedcredit.secagg.paillier.CryptoMode;
import org.fedcredit.secagg.paillier.KeySizePolicy;

/**
 * One party's settings for a federated WOE/IV job. The bank uses all of them; a feature party uses
 * {@code binning}, {@code naming} and {@code crypto} (the rules and the selection are the bank's).
 *
 * <p>Defaults ({@link #defaults()}): 10 quantile bins per column, {@link WoeRules#defaults()}, keep
 * every column, opaque column names, Paillier with a fresh 2048-bit key per job.
 *
 * @param binning this party's binning spec (local; cut points never leave the party)
 * @param rules small-bin, smoothing and monotone rules (bank)
 * @param selection IV selection across all parties (bank)
 * @param naming what names a provider discloses
 * @param crypto Paillier, or the insecure plaintext engine for simulation only
 * @param keyBits Paillier modulus bits of the job key, ≥ 2048 (bank)
 */
public record WoeBinningConfig(
    Binning binning,
    WoeRules rules,
    IvSelection selection,
    ColumnNaming naming,
    CryptoMode crypto,
    int keyBits) {

  public WoeBinningConfig {
    Objects.requireNonNull(binning, "binning");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(selection, "selection");
    Objects.requireNonNull(naming, "naming");
    Objects.requireNonNull(crypto, "crypto");
    KeySizePolicy.DEFAULT.check(keyBits);
  }

  public static WoeBinningConfig defaults() {
    return new WoeBinningConfig(
        Binning.defaults(),
        WoeRules.defaults(),
        IvSelection.all(),
        ColumnNaming.OPAQUE,
        CryptoMode.PAILLIER,
        KeySizePolicy.ABSOLUTE_MIN_BITS);
  }

  public WoeBinningConfig withBinning(Binning b) {
    return new WoeBinningConfig(b, rules, selection, naming, crypto, keyBits);
  }

  public WoeBinningConfig withRules(WoeRules r) {
    return new WoeBinningConfig(binning, r, selection, naming, crypto, keyBits);
  }

  public WoeBinningConfig withSelection(IvSelection s) {
    return new WoeBinningConfig(binning, rules, s, naming, crypto, keyBits);
  }

  public WoeBinningConfig withNaming(ColumnNaming n) {
    return new WoeBinningConfig(binning, rules, selection, n, crypto, keyBits);
  }
}
