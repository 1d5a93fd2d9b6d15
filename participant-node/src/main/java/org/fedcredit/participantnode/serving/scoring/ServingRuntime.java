package org.fedcredit.participantnode.serving.scoring;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.fedcredit.modelzoo.serving.BankModel;
import org.fedcredit.modelzoo.serving.FeatureModel;
import org.fedcredit.modelzoo.serving.PartyModel;
import org.fedcredit.modelzoo.serving.ShardFiles;
import org.fedcredit.participantnode.config.NodeConfig;
import org.fedcredit.participantnode.config.ServingConfig;
import org.fedcredit.participantnode.data.DataSource;
import org.fedcredit.participantnode.policy.ConsentRegistry;
import org.fedcredit.participantnode.serving.DecisionTokens;
import org.fedcredit.participantnode.serving.EnterpriseIndex;
import org.fedcredit.participantnode.serving.audit.DecisionAuditor;
import org.fedcredit.participantnode.serving.store.DecisionStore;
import org.fedcredit.participantnode.serving.store.DecisionStoreConfig;
import org.fedcredit.participantnode.serving.store.JdbcDecisionStore;
import org.fedcredit.participantnode.serving.web.DecisionWebServer;
import org.fedcredit.transport.grpc.GrpcServers;
import org.fedcredit.transport.grpc.PeerAddress;
import org.fedcredit.transport.tls.TransportSecurity;
import org.fedcredit.xaiexplainer.ReasonCodeCatalogue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code serving:} part of a participant node: on a feature party the {@code PartyScoring}
 * service (its shard is loaded on first use, so a node may be configured before the model is
 * published); on the bank, in addition, the decision API, the borrower pages and the officer view
 * on {@code serving.http}, over a {@link DecisionEngine} built from its shard at start.
 */
public final class ServingRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServingRuntime.class);

  /** How long a feature party's dataset snapshot is served before it is reloaded. */
  public static final java.time.Duration DATA_MAX_AGE = java.time.Duration.ofMinutes(5);

  private final FeaturePartsClient client;
  private final DecisionStore store;
  private final DecisionWebServer web;
  private final ExecutorService httpThreads;
  private final DecisionEngine engine;
  private final DecisionAuditor auditor;

  private ServingRuntime(
      FeaturePartsClient client,
      DecisionStore store,
      DecisionWebServer web,
      ExecutorService httpThreads,
      DecisionEngine engine,
      DecisionAuditor auditor) {
    this.auditor = auditor;
    this.client = client;
    this.store = store;
    this.web = web;
    this.httpThreads = httpThreads;
    this.engine = engine;
  }

  /**
   * Adds the serving services of {@code config.serving()} to {@code grpc} (before it starts) and,
   * on the bank, starts the decision web server.
   *
   * @throws ServingStartException naming what is wrong (no shard, a shard of another party, a
   *     catalogue that does not cover the model, a port in use...)
   */
  public static ServingRuntime install(
      NodeConfig config,
      ServingConfig serving,
      TransportSecurity security,
      Optional<ConsentRegistry> consent,
      GrpcServers.Builder grpc) {
    Path shardFile =
        serving
            .shard()
            .orElse(
                config
                    .workDir()
                    .resolve("models")
                    .resolve(serving.model())
                    .resolve(config.party().name() + ".json"));
    if (serving.bank().isEmpty()) {
      DataSource ds = dataset(config, serving);
      EnterpriseIndex index = new EnterpriseIndex(ds, DATA_MAX_AGE);
      Supplier<ServedFeatureModel> model = new LazyFeatureModel(shardFile, config, serving);
      grpc.addService(
          new PartyScoringService(
              config.party(), model, index, consent, Set.copyOf(serving.perColumnAttributions())));
      LOG.info(
          "{} serves its part of model {} from dataset '{}' ({} enterprises)",
          config.party(),
          serving.model(),
          ds.alias(),
          index.size());
      return new ServingRuntime(null, null, null, null, null, null);
    }
    ServingConfig.Bank b = serving.bank().get();
    Shard shard = load(shardFile, serving);
    PartyModel pm = shard.model();
    if (!(pm instanceof BankModel bm)) {
      throw new ServingStartException(
          shardFile
              + " is a feature party's shard; serving.http (the decision API) runs on the model's"
              + " label party only");
    }
    check(pm, config, serving, shardFile);
    ReasonCodeCatalogue catalogue = catalogue(b.reasonCodes());
    Map<String, PeerAddress> addresses = new LinkedHashMap<>();
    b.parties().forEach((p, e) -> addresses.put(p, new PeerAddress(e.host(), e.port())));
    FeaturePartsClient client = new FeaturePartsClient(security, addresses);
    DecisionStore store = null;
    ExecutorService threads = null;
    try {
      store =
          JdbcDecisionStore.open(
              b.store()
                  .map(
                      j ->
                          DecisionStoreConfig.of(
                              j.url(), j.user().orElse(""), j.password().orElse("")))
                  .orElse(DecisionStoreConfig.embedded(config.workDir())));
      DecisionEngine engine;
      try {
        engine =
            new DecisionEngine(
                bm,
                shard.version(),
                client,
                b.timeout(),
                b.rule(),
                catalogue,
                b.actionable(),
                store,
                Clock.systemUTC());
      } catch (IllegalArgumentException e) {
        throw new ServingStartException(config.file() + ": serving: " + e.getMessage());
      }
      java.util.SortedSet<String> uncovered = catalogue.coverage(modelKeys(bm, engine));
      if (!uncovered.isEmpty()) {
        throw new ServingStartException(
            "the reason-code catalogue "
                + b.reasonCodes()
                + " has no family for "
                + uncovered
                + "; add them so that every characteristic can be explained");
      }
      threads =
          Executors.newFixedThreadPool(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
      String officer =
          b.officerToken().orElse(DecisionTokens.newToken() + DecisionTokens.newToken());
      DecisionWebServer web =
          new DecisionWebServer(
              store,
              officer,
              new InetSocketAddress(b.http().host(), b.http().port()),
              threads,
              ZoneOffset.UTC);
      web.route(DecisionApi.PATH, new DecisionApi(engine));
      web.start();
      grpc.addService(new DecisionApi.Grpc(engine, config.party()));
      LOG.info(
          "{} decides with model {} ({}, version {}): {} — decision API on {}{}",
          config.party(),
          bm.job(),
          bm.algorithm(),
          engine.modelRef().version(),
          b.rule(),
          web.baseUri(),
          b.officerToken().isPresent() ? "" : " (officer view off: no serving.officer_token_env)");
      DecisionAuditor auditor =
          new DecisionAuditor(
              store,
              config.workDir().resolve("audit").resolve("decisions.cursor"),
              Clock.systemUTC(),
              java.time.Duration.ofMillis(200));
      engine.onStored(auditor::stored);
      return new ServingRuntime(client, store, web, threads, engine, auditor);
    } catch (RuntimeException e) {
      client.close();
      if (store != null) {
        store.close();
      }
      if (threads != null) {
        threads.shutdownNow();
      }
      throw e;
    }
  }

  /** The decision engine (bank only). */
  public Optional<DecisionEngine> engine() {
    return Optional.ofNullable(engine);
  }

  /**
   * What reports the bank's decisions to the coordinator's audit log (bank only; started by {@link
   * #connect}).
   */
  public Optional<DecisionAuditor> auditor() {
    return Optional.ofNullable(auditor);
  }

  /**
   * Links the bank's serving to the coordinator once the node's channel to it exists: decisions are
   * reported to its audit log, and decision pages link to the proof of their model's release.
   * Nothing to do on a feature party.
   */
  public void connect(io.grpc.Channel coordinator) {
    if (auditor != null) {
      auditor.start(coordinator);
    }
    if (web != null) {
      web.modelProofs(new org.fedcredit.participantnode.serving.audit.ModelProofs(coordinator));
    }
  }

  /** The decision web server (bank only). */
  public Optional<DecisionWebServer> web() {
    return Optional.ofNullable(web);
  }

  private static java.util.List<String> modelKeys(BankModel bm, DecisionEngine engine) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    for (String c : engine.bankColumns()) {
      keys.add(bm.party() + ":" + c);
    }
    for (String p : bm.featureParties()) {
      keys.add(p + ":" + PartMessages.BLOCK);
    }
    return keys;
  }

  private static DataSource dataset(NodeConfig config, ServingConfig serving) {
    if (serving.dataset().isPresent()) {
      return config.datasets().get(serving.dataset().get());
    }
    if (config.datasets().size() != 1) {
      throw new ServingStartException(
          config.file()
              + ": serving.dataset is needed: this node has "
              + config.datasets().size()
              + " datasets "
              + config.datasets().keySet());
    }
    return config.datasets().values().iterator().next();
  }

  /**
   * A shard file read once: its model, its JSON map (for the keys serving adds) and its version.
   */
  record Shard(PartyModel model, Map<String, Object> json, String version) {}

  static Shard load(Path file, ServingConfig serving) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ServingStartException(
          "model "
              + serving.model()
              + " has no shard at "
              + file
              + " on this node: has the job been published here? (fedcredit job list; or set"
              + " serving.shard)");
    } catch (IOException e) {
      throw new ServingStartException("cannot read " + file + ": " + e.getMessage());
    }
    try {
      Map<String, Object> json = ShardFiles.fromJson(bytes, file.toString());
      return new Shard(PartyModel.fromShard(json, file.toString()), json, version(bytes));
    } catch (RuntimeException e) {
      throw new ServingStartException(e.getMessage());
    }
  }

  static PartyModel readShard(Path file, ServingConfig serving) {
    return load(file, serving).model();
  }

  static void check(PartyModel pm, NodeConfig config, ServingConfig serving, Path file) {
    if (!pm.party().equals(config.party().name())) {
      throw new ServingStartException(
          file + " is the shard of " + pm.party() + ", not of this node (" + config.party() + ")");
    }
    // A shard published by a node sits under models/<job id>/ and names the job spec's `job:`;
    // a shard file given explicitly (serving.shard) must name serving.model itself.
    if (serving.shard().isPresent() && !pm.job().equals(serving.model())) {
      throw new ServingStartException(
          file + " is the shard of job " + pm.job() + ", but serving.model is " + serving.model());
    }
  }

  static ReasonCodeCatalogue catalogue(String spec) {
    try {
      return switch (spec) {
        case "builtin:default-credit" -> ReasonCodeCatalogue.defaultCredit();
        case "builtin:sme" -> ReasonCodeCatalogue.sme();
        default -> {
          if (spec.startsWith("builtin:")) {
            throw new ServingStartException(
                "serving.reason_codes: no built-in catalogue '"
                    + spec.substring(8)
                    + "'; use builtin:default-credit, builtin:sme or a YAML file");
          }
          yield ReasonCodeCatalogue.load(Path.of(spec));
        }
      };
    } catch (ServingStartException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ServingStartException(e.getMessage());
    }
  }

  /** The first 12 hex digits of the shard file's SHA-256. */

  /** The first 12 hex digits of the SHA-256 of a shard's bytes. */
  static String version(byte[] shard) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(shard);
      return HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A feature party's shard, read when the first request comes and then kept. */
  private static final class LazyFeatureModel implements Supplier<ServedFeatureModel> {
    private final Path file;
    private final NodeConfig config;
    private final ServingConfig serving;
    private volatile ServedFeatureModel loaded;

    LazyFeatureModel(Path file, NodeConfig config, ServingConfig serving) {
      this.file = file;
      this.config = config;
      this.serving = serving;
    }

    @Override
    public ServedFeatureModel get() {
      ServedFeatureModel m = loaded;
      if (m != null) {
        return m;
      }
      synchronized (this) {
        if (loaded == null) {
          Shard shard = load(file, serving);
          PartyModel pm = shard.model();
          if (!(pm instanceof FeatureModel fm)) {
            throw new ServingStartException(
                file + " is the bank's shard; this node is not a feature party of the model");
          }
          check(pm, config, serving, file);
          Object label = shard.json().get("label_party");
          Object purpose = shard.json().get("purpose");
          if (!(label instanceof String) || !(purpose instanceof String)) {
            throw new ServingStartException(
                file + ": the shard names no label_party or purpose; publish the model again");
          }
          loaded = new ServedFeatureModel(fm, (String) label, (String) purpose);
        }
        return loaded;
      }
    }
  }

  @Override
  public void close() {
    if (web != null) {
      web.close();
    }
    if (httpThreads != null) {
      httpThreads.shutdownNow();
    }
    if (auditor != null) {
      auditor.close();
    }
    if (client != null) {
      client.close();
    }
    if (store != null) {
      store.close();
    }
  }

  /** Serving cannot start; the message says why and what to do. */
  public static final class ServingStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServingStartException(String message) {
      super(message);
    }
  }
}
