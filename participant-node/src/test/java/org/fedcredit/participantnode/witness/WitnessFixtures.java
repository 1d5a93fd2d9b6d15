package org.fedcredit.participantnode.witness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedcredit.coordinator.store.CoordinatorStore;
import org.fedcredit.coordinator.store.StoreConfig;
import org.fedcredit.coordinator.translog.NoteKeys;
import org.fedcredit.coordinator.translog.SignedCheckpoint;
import org.fedcredit.coordinator.translog.TransparencyLog;
import org.fedcredit.transport.tls.CertificateAuthority;
import org.fedcredit.transport.tls.TlsIdentity;

/**
 * Real pieces for witness tests: transparency logs in embedded H2 stores signed by one key (a
 * coordinator that keeps two of them can show two histories), and parties with certificates from
 * one private CA.
 */
final class WitnessFixtures implements AutoCloseable {
  static final NoteKeys.Signer LOG_KEY = NoteKeys.generate("fedcredit/coordinator");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T00:00:00Z"), ZoneOffset.UTC);

  private final Path dir;
  private final List<CoordinatorStore> stores = new ArrayList<>();

  WitnessFixtures(Path dir) {
    this.dir = dir;
    CertificateAuthority.init(dir.resolve("ca"));
  }

  /** A fresh log holding entries "e0".."e(n-1)". */
  Log log(String name, int n) {
    CoordinatorStore store = CoordinatorStore.open(StoreConfig.embedded(dir.resolve(name)));
    stores.add(store);
    Log log = new Log(TransparencyLog.in(store));
    log.append(0, n);
    return log;
  }

  /** A party's TLS identity, issued by the fixtures' CA. */
  TlsIdentity.Loaded party(String name) {
    return CertificateAuthority.issue(dir.resolve("ca"), name).load();
  }

  /** The witness of {@code party} with state in its own directory. */
  Witness witness(TlsIdentity.Loaded party, Optional<NoteKeys.Verifier> configuredKey) {
    return Witness.open(
        dir.resolve("witness-" + party.party().name()),
        configuredKey,
        Optional.of(new Witness.Cosigner(party.party().name(), party.certificate(), party.key())),
        Optional.of(party.caCertificate()),
        CLOCK);
  }

  @Override
  public void close() {
    stores.forEach(CoordinatorStore::close);
  }

  /** A log and the proofs it serves, counting the requests. */
  static final class Log implements Witness.Proofs {
    final TransparencyLog log;
    int proofRequests;

    Log(TransparencyLog log) {
      this.log = log;
    }

    void append(int from, int to) {
      for (int i = from; i < to; i++) {
        log.append(("e" + i).getBytes(StandardCharsets.UTF_8));
      }
    }

    void appendText(String text) {
      log.append(text.getBytes(StandardCharsets.UTF_8));
    }

    SignedCheckpoint checkpoint() {
      return log.checkpoint(LOG_KEY);
    }

    SignedCheckpoint checkpoint(NoteKeys.Signer key) {
      return log.checkpoint(key);
    }

    @Override
    public List<byte[]> consistency(long oldSize, long newSize) {
      proofRequests++;
      return log.consistencyProof(oldSize, newSize);
    }
  }
}
