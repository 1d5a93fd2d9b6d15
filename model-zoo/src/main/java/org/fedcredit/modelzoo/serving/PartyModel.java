package org.fedcredit.modelzoo.serving;

import java.nio.file.Path;
import java.util.Map;

/**
 * One party's published model shard, ready to serve: a feature party's {@link FeatureModel} (its
 * columns' transform and weights or split table) or the bank's {@link BankModel} (its own columns,
 * the intercept or the trees, and how to combine the feature parties' parts).
 *
 * <p>Shards are JSON objects versioned by {@code "format": "fedcredit-shard/1"}. Common keys:
 * {@code format, job, party, role ("label-party" | "feature-party"), algorithm ("vertical-lr" |
 * "scorecard" | "secureboost")}; the rest is listed on each implementation. {@link #toShard()} and
 * {@link #fromShard} round-trip exactly (doubles are written in their shortest exact form), so a
 * model read back scores every row as the job's batch evaluation did.
 */
public sealed interface PartyModel permits FeatureModel, BankModel {

  /** The shard format this code writes and reads. */
  String FORMAT = "fedcredit-shard/1";

  String job();

  String party();

  /** {@code vertical-lr}, {@code scorecard} or {@code secureboost}. */
  String algorithm();

  /** The JSON-able shard (lists, maps, strings, numbers, booleans only). */
  Map<String, Object> toShard();

  /** Reads a shard map; errors name {@code "shard"} as the source. */
  static PartyModel fromShard(Map<String, Object> shard) {
    return fromShard(shard, "shard");
  }

  /**
   * Reads a shard map.
   *
   * @param source where it came from (a file name), for error messages
   * @throws ShardFormatException naming the source and key for a missing, ill-typed or inconsistent
   *     entry, or a shard of another format
   */
  static PartyModel fromShard(Map<String, Object> shard, String source) {
    ShardFields f = ShardFields.root(source, shard);
    if (!f.has("format")) {
      throw new ShardFormatException(
          source
              + ": no 'format' key: the shard predates "
              + FORMAT
              + " and lacks what serving needs (preprocessing, bins, split table); publish the"
              + " model again with this version");
    }
    String format = f.string("format");
    if (!format.equals(FORMAT)) {
      throw f.error("format", "'" + format + "' is not supported; this version reads " + FORMAT);
    }
    String role = f.string("role");
    String algorithm = f.string("algorithm");
    boolean bank =
        switch (role) {
          case "label-party" -> true;
          case "feature-party" -> false;
          default ->
              throw f.error("role", "expected label-party or feature-party, got '" + role + "'");
        };
    return switch (algorithm) {
      case "vertical-lr", "scorecard" ->
          bank ? LinearBankModel.fromShard(f) : LinearFeatureModel.fromShard(f);
      case "secureboost" -> bank ? TreeBankModel.fromShard(f) : TreeFeatureModel.fromShard(f);
      default ->
          throw f.error(
              "algorithm",
              "'"
                  + algorithm
                  + "' is not servable; expected vertical-lr, scorecard or secureboost");
    };
  }

  /**
   * Reads a shard file (JSON) written by a participant node or {@code fedcredit run --model-out}.
   *
   * @throws ShardFormatException naming the file for unreadable JSON or bad content
   */
  static PartyModel read(Path file) {
    return fromShard(ShardFiles.read(file), file.toString());
  }
}
