package org.fedcredit.participantnode.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML document as mappings, sequences and scalars that remember their line, so that every
 * configuration error can say where it is. Built from Jackson's streaming YAML parser; a key given
 * twice in one mapping is an error (plain Jackson would keep the last one silently).
 */
final class YamlTree {

  private YamlTree() {}

  /** A parsed node; {@code line} is 1-based. */
  sealed interface Node permits Scalar, Mapping, Sequence {
    int line();
  }

  /** A scalar; {@code text} is null for YAML null (an empty value or {@code ~}). */
  record Scalar(String text, int line) implements Node {
    boolean isNull() {
      return text == null;
    }
  }

  /** A mapping in document order, with the line of each key. */
  record Mapping(Map<String, Node> entries, Map<String, Integer> keyLines, int line)
      implements Node {
    Optional<Node> get(String key) {
      return Optional.ofNullable(entries.get(key));
    }
  }

  record Sequence(List<Node> items, int line) implements Node {}

  /** A syntax error at a line, or a structural one (a repeated key) that YAML itself allows. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    final int line;
    final boolean yamlSyntax;

    SyntaxException(int line, String message, boolean yamlSyntax) {
      super(message);
      this.line = line;
      this.yamlSyntax = yamlSyntax;
    }
  }

  /**
   * Parses one document.
   *
   * @return empty for an empty document
   */
  static Optional<Node> parse(Reader in) throws IOException, SyntaxException {
    try (JsonParser p = new YAMLFactory().createParser(in)) {
      JsonToken t = p.nextToken();
      if (t == null) {
        return Optional.empty();
      }
      Node root = node(p);
      JsonToken extra = p.nextToken();
      if (extra != null) {
        throw new SyntaxException(
            line(p),
            "a second YAML document starts here; a node configuration is one document",
            false);
      }
      return Optional.of(root);
    } catch (StreamReadException e) {
      // SnakeYAML (under Jackson) knows the problem and its position apart from the context
      // ("while parsing a block mapping", line of the mapping); report the problem.
      if (e.getCause() instanceof MarkedYAMLException m
          && m.getProblem() != null
          && m.getProblemMark() != null) {
        throw new SyntaxException(m.getProblemMark().getLine() + 1, m.getProblem().strip(), true);
      }
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().strip();
      throw new SyntaxException(line, m.lines().findFirst().orElse("").strip(), true);
    }
  }

  private static Node node(JsonParser p) throws IOException, SyntaxException {
    int line = line(p);
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT:
        {
          Map<String, Node> entries = new LinkedHashMap<>();
          Map<String, Integer> keyLines = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            int keyLine = line(p);
            p.nextToken();
            Node value = node(p);
            if (entries.containsKey(key)) {
              throw new SyntaxException(
                  keyLine,
                  "key '"
                      + key
                      + "' is given twice in this mapping (first on line "
                      + keyLines.get(key)
                      + "); keep one",
                  false);
            }
            entries.put(key, value);
            keyLines.put(key, keyLine);
          }
          return new Mapping(
              Collections.unmodifiableMap(entries), Collections.unmodifiableMap(keyLines), line);
        }
      case START_ARRAY:
        {
          List<Node> items = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            items.add(node(p));
          }
          return new Sequence(List.copyOf(items), line);
        }
      case VALUE_NULL:
        return new Scalar(null, line);
      default:
        return new Scalar(p.getText(), line);
    }
  }

  private static int line(JsonParser p) {
    return p.currentTokenLocation().getLineNr();
  }
}
