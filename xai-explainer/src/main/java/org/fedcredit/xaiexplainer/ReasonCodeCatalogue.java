package org.fedcredit.xaiexplainer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The reason codes a lender may give, read from YAML: one family per group of characteristics, each
 * with a code, an English and a Chinese text, the characteristics it covers, and whether it is a
 * protected attribute (which can never become a reason).
 *
 * <pre>{@code
 * catalogue: default-credit          # optional name
 * families:
 *   - code: R01
 *     en: Repayment status in the most recent month
 *     zh: 最近一个月的还款状态
 *     characteristics: [provider:x5]
 *   - code: P01
 *     en: Sex
 *     zh: 性别
 *     characteristics: [provider:x1]
 *     protected: true
 *   - code: B01
 *     en: Information from the data provider
 *     zh: 来自数据提供方的信息
 *     characteristics: ["provider:*"]   # the provider's block, when it forbids per-column display
 * }</pre>
 *
 * <p>Keys are {@code party:column} with the party names of the job spec. A model column that is an
 * indicator of a raw column ({@code bank:industry=catering}, {@code provider:x0__bin3}) is covered
 * by the family of its raw column ({@link FeatureGroups#rawCharacteristic}). A code appears once, a
 * characteristic in at most one family, both texts are required; {@link #parse} rejects anything
 * else naming the file, line, family and key.
 *
 * <p>Two catalogues ship with the library: {@link #defaultCredit()} for FATE's default_credit split
 * (bank {@code x0..x12}, provider {@code x0..x9}) and {@link #sme()} for the synthetic SME data
 * (bank, tax-bureau, utility).
 */
public final class ReasonCodeCatalogue {

  /** Classpath resource of the default_credit catalogue. */
  public static final String DEFAULT_CREDIT_RESOURCE =
      "org/fedcredit/xaiexplainer/default-credit-reason-codes.yaml";

  /** Classpath resource of the synthetic SME catalogue. */
  public static final String SME_RESOURCE = "org/fedcredit/xaiexplainer/sme-reason-codes.yaml";

  private static final List<String> TOP_KEYS = List.of("catalogue", "families");
  private static final List<String> FAMILY_KEYS =
      List.of("code", "en", "zh", "characteristics", "protected");
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_-]{0,15}");
  private static final Pattern KEY = Pattern.compile("[^:\\s]+:(\\*|[^:\\s*]+)");

  private final String name;
  private final List<ReasonFamily> families;
  private final Map<String, ReasonFamily> byCharacteristic;

  private ReasonCodeCatalogue(String name, List<ReasonFamily> families) {
    this.name = name;
    this.families = List.copyOf(families);
    Map<String, ReasonFamily> index = new HashMap<>();
    for (ReasonFamily f : families) {
      for (String c : f.characteristics()) {
        index.put(c, f);
      }
    }
    this.byCharacteristic = index;
  }

  /** The catalogue's name ({@code catalogue:}), or the source it was read from. */
  public String name() {
    return name;
  }

  /** The families in file order. */
  public List<ReasonFamily> families() {
    return families;
  }

  /**
   * The family covering a model key: the key itself ({@code bank:x3}, {@code tax-bureau:*}), else
   * its raw characteristic ({@code bank:industry=catering} → {@code bank:industry}).
   */
  public Optional<ReasonFamily> familyOf(String key) {
    ReasonFamily f = byCharacteristic.get(key);
    if (f == null && key.indexOf(':') > 0) {
      f = byCharacteristic.get(FeatureGroups.rawCharacteristic(key));
    }
    return Optional.ofNullable(f);
  }

  /**
   * The model keys that lack a reason text (no family covers them): must be empty for a catalogue
   * shipped with a model.
   *
   * @param modelKeys the model's columns or attribution groups, {@code party:column} or {@code
   *     party:*}
   */
  public SortedSet<String> coverage(Collection<String> modelKeys) {
    SortedSet<String> missing = new TreeSet<>();
    for (String key : modelKeys) {
      if (familyOf(key).isEmpty()) {
        missing.add(key);
      }
    }
    return Collections.unmodifiableSortedSet(missing);
  }

  /** The catalogue for FATE's default_credit split, shipped in this library. */
  public static ReasonCodeCatalogue defaultCredit() {
    return fromClasspath(DEFAULT_CREDIT_RESOURCE);
  }

  /** The catalogue for the synthetic SME data ({@code fedcredit data synth}), shipped here. */
  public static ReasonCodeCatalogue sme() {
    return fromClasspath(SME_RESOURCE);
  }

  /** Reads a catalogue from the classpath. */
  public static ReasonCodeCatalogue fromClasspath(String resource) {
    try (InputStream in =
        ReasonCodeCatalogue.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ReasonCodeCatalogueException(
            "no reason-code catalogue '" + resource + "' on the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new ReasonCodeCatalogueException("cannot read " + resource + ": " + e.getMessage(), e);
    }
  }

  /** Reads a catalogue from a YAML file. */
  public static ReasonCodeCatalogue load(Path file) {
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ReasonCodeCatalogueException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a catalogue.
   *
   * @param yaml the YAML text
   * @param source where it came from, for error messages (a file name)
   * @throws ReasonCodeCatalogueException naming source, line, family and key of the first error
   */
  public static ReasonCodeCatalogue parse(String yaml, String source) {
    Lines lines = new Lines();
    Object root;
    try (JsonParser p = new YAMLFactory().createParser(yaml)) {
      if (p.nextToken() == null) {
        throw new ReasonCodeCatalogueException(
            source + ": the catalogue is empty; it needs a 'families:' list");
      }
      root = read(p, lines, source);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ReasonCodeCatalogueException(
          source
              + (at == null ? "" : ":" + at.getLineNr())
              + ": not valid YAML: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new ReasonCodeCatalogueException(source + ": cannot read: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new ReasonCodeCatalogueException(
          source + ":1: the catalogue must be a mapping with keys " + TOP_KEYS);
    }
    String where = source + ":" + lines.of(top);
    checkKeys(top, TOP_KEYS, where + ": ");
    String name = source;
    Object n = top.get("catalogue");
    if (n != null) {
      if (!(n instanceof String s) || s.isBlank()) {
        throw new ReasonCodeCatalogueException(where + ": 'catalogue' must be a name, got " + n);
      }
      name = s;
    }
    Object fs = top.get("families");
    if (!(fs instanceof List<?> list) || list.isEmpty()) {
      throw new ReasonCodeCatalogueException(
          where
              + ": 'families' must be a non-empty list of families (code, en, zh,"
              + " characteristics, protected)");
    }
    List<ReasonFamily> families = new ArrayList<>();
    Map<String, String> codeAt = new HashMap<>();
    Map<String, String> characteristicAt = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      String at = source + ":" + lines.of(item) + ": families[" + i + "]";
      if (!(item instanceof Map<?, ?> m)) {
        throw new ReasonCodeCatalogueException(
            at + ": must be a mapping with keys " + FAMILY_KEYS + ", got " + item);
      }
      Object c = m.get("code");
      if (c == null) {
        throw new ReasonCodeCatalogueException(at + ": key 'code' is missing; add e.g. code: R07");
      }
      if (!(c instanceof String code) || !CODE.matcher(code).matches()) {
        throw new ReasonCodeCatalogueException(
            at
                + ": code '"
                + c
                + "' must be an upper-case letter then up to 15 letters, digits, '_' or '-',"
                + " e.g. R07");
      }
      at += " (code " + code + ")";
      checkKeys(m, FAMILY_KEYS, at + ": ");
      String first = codeAt.putIfAbsent(code, at);
      if (first != null) {
        throw new ReasonCodeCatalogueException(
            at
                + ": duplicate code "
                + code
                + ", first used at "
                + first
                + "; give each family its own code");
      }
      String en = text(m, "en", "English", at);
      String zh = text(m, "zh", "Chinese", at);
      Object cs = m.get("characteristics");
      if (!(cs instanceof List<?> chars) || chars.isEmpty()) {
        throw new ReasonCodeCatalogueException(
            at
                + ": key 'characteristics' must be a non-empty list of party:column keys, e.g."
                + " [bank:x3] or [\"tax-bureau:*\"] for a party's block");
      }
      List<String> keys = new ArrayList<>();
      for (Object k : chars) {
        if (!(k instanceof String key) || !KEY.matcher(key).matches()) {
          throw new ReasonCodeCatalogueException(
              at
                  + ": characteristic '"
                  + k
                  + "' is not party:column or party:* (quote party:* in YAML: \"bank:*\")");
        }
        String other = characteristicAt.putIfAbsent(key, at);
        if (other != null) {
          throw new ReasonCodeCatalogueException(
              at
                  + ": characteristic "
                  + key
                  + " is already in "
                  + other
                  + "; a characteristic belongs to one family only");
        }
        keys.add(key);
      }
      Object p = m.get("protected");
      if (p != null && !(p instanceof Boolean)) {
        throw new ReasonCodeCatalogueException(
            at + ": key 'protected' must be true or false, got '" + p + "'");
      }
      families.add(new ReasonFamily(code, en, zh, keys, Boolean.TRUE.equals(p)));
    }
    return new ReasonCodeCatalogue(name, families);
  }

  private static String text(Map<?, ?> m, String key, String language, String at) {
    Object t = m.get(key);
    if (t == null) {
      throw new ReasonCodeCatalogueException(
          at
              + ": key '"
              + key
              + "' is missing; add the "
              + language
              + " text (both en and zh are required)");
    }
    if (!(t instanceof String s) || s.isBlank()) {
      throw new ReasonCodeCatalogueException(
          at + ": key '" + key + "' must be a non-empty " + language + " text, got '" + t + "'");
    }
    return s.strip();
  }

  private static void checkKeys(Map<?, ?> m, List<String> allowed, String at) {
    for (Object k : m.keySet()) {
      if (!allowed.contains(k)) {
        throw new ReasonCodeCatalogueException(
            at + "unknown key '" + k + "'; allowed keys are " + allowed);
      }
    }
  }

  // The 1-based line where each mapping or sequence starts.
  private static final class Lines {
    private final Map<Object, Integer> line = new IdentityHashMap<>();

    int of(Object node) {
      return line.getOrDefault(node, 1);
    }
  }

  // Mappings become LinkedHashMaps (a repeated key is an error), sequences lists, scalars String,
  // Boolean or null; numbers stay as text so that "code: 1" is reported, not silently converted.
  private static Object read(JsonParser p, Lines lines, String source) throws IOException {
    JsonToken t = p.currentToken();
    int line = p.currentTokenLocation().getLineNr();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new LinkedHashMap<>();
        lines.line.put(m, line);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String key = p.currentName();
          int keyLine = p.currentTokenLocation().getLineNr();
          p.nextToken();
          if (m.containsKey(key)) {
            throw new ReasonCodeCatalogueException(
                source + ":" + keyLine + ": key '" + key + "' is given twice; keep one");
          }
          m.put(key, read(p, lines, source));
        }
        return m;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        lines.line.put(list, line);
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p, lines, source));
        }
        return list;
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> {
        return p.getText();
      }
    }
  }
}
