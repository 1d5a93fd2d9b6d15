package org.fedcredit.participantnode.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.fedcredit.modelzoo.data.LocalTable;

/**
 * Reads a party's CSV file into a {@link LocalTable}.
 *
 * <p>Format: UTF-8, a header row, comma-separated, fields optionally in double quotes (a quote
 * inside a quoted field is doubled). The id column is required and its values must be unique and
 * non-empty; the label column, at the label party, must hold 0 or 1 on every row; every other
 * column (minus {@link Spec#exclude()}) is a feature: numeric, where an empty cell means missing,
 * unless declared in {@link Spec#categorical()}.
 *
 * <p>A categorical column is read as text and expanded into one 0/1 indicator column per distinct
 * value, named {@code column=value}, in sorted value order, after the numeric columns. Any
 * non-empty text is a category — {@code None} or {@code NA} included; only an empty cell is
 * missing, and a missing categorical cell is 0 in every indicator.
 *
 * <p>Every problem stops the read with a {@link DataFormatException} naming file, line and column.
 * Nothing is silently dropped.
 */
public final class CsvDataSource {

  /**
   * What to read.
   *
   * @param idColumn name of the id column
   * @param labelColumn name of the 0/1 label column at the label party, empty elsewhere
   * @param exclude columns to ignore
   * @param categorical columns read as text categories (see the class comment)
   */
  public record Spec(
      String idColumn, Optional<String> labelColumn, Set<String> exclude, Set<String> categorical) {
    public Spec {
      Objects.requireNonNull(idColumn, "idColumn");
      Objects.requireNonNull(labelColumn, "labelColumn");
      exclude = Set.copyOf(exclude);
      categorical = Set.copyOf(categorical);
    }

    public Spec(String idColumn, Optional<String> labelColumn, Set<String> exclude) {
      this(idColumn, labelColumn, exclude, Set.of());
    }

    public static Spec features(String idColumn) {
      return new Spec(idColumn, Optional.empty(), Set.of());
    }

    public static Spec labelled(String idColumn, String labelColumn) {
      return new Spec(idColumn, Optional.of(labelColumn), Set.of());
    }

    /** This spec with the given categorical columns. */
    public Spec withCategorical(Set<String> columns) {
      return new Spec(idColumn, labelColumn, exclude, columns);
    }
  }

  private CsvDataSource() {}

  /**
   * Reads the whole file.
   *
   * @throws DataFormatException for a missing, unreadable or malformed file
   */
  public static LocalTable read(Path file, Spec spec) {
    String name = file.toString();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String headerLine = in.readLine();
      if (headerLine == null || headerLine.isBlank()) {
        throw new DataFormatException(
            name, 1, "the file is empty; the first line must be the header");
      }
      List<String> header = split(headerLine, name, 1);
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        String h = header.get(i).strip();
        if (h.isEmpty()) {
          throw new DataFormatException(name, 1, "header column " + (i + 1) + " has no name");
        }
        if (index.put(h, i) != null) {
          throw new DataFormatException(name, 1, "header names column '" + h + "' twice");
        }
      }
      int idCol = require(index, spec.idColumn(), name, "id");
      int labelCol =
          spec.labelColumn().isPresent()
              ? require(index, spec.labelColumn().get(), name, "label")
              : -1;
      for (String c : spec.categorical()) {
        require(index, c, name, "categorical");
      }
      List<Integer> featureCols = new ArrayList<>();
      List<String> featureNames = new ArrayList<>();
      List<Integer> textCols = new ArrayList<>();
      List<String> textNames = new ArrayList<>();
      for (int i = 0; i < header.size(); i++) {
        String h = header.get(i).strip();
        if (i != idCol && i != labelCol && !spec.exclude().contains(h)) {
          if (spec.categorical().contains(h)) {
            textCols.add(i);
            textNames.add(h);
          } else {
            featureCols.add(i);
            featureNames.add(h);
          }
        }
      }
      TableAssembler table = new TableAssembler(featureNames, textNames, labelCol >= 0);
      Map<String, Integer> idLine = new HashMap<>();
      String line;
      int lineNo = 1;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isEmpty()) {
          continue; // a trailing newline or blank separator line carries no row
        }
        List<String> f = split(line, name, lineNo);
        if (f.size() != header.size()) {
          throw new DataFormatException(
              name,
              lineNo,
              f.size()
                  + " fields but the header has "
                  + header.size()
                  + "; check for a missing or extra comma");
        }
        String id = f.get(idCol).strip();
        if (id.isEmpty()) {
          throw new DataFormatException(name, lineNo, "column '" + spec.idColumn() + "': empty id");
        }
        Integer first = idLine.putIfAbsent(id, lineNo);
        if (first != null) {
          throw new DataFormatException(
              name,
              lineNo,
              "column '"
                  + spec.idColumn()
                  + "': duplicate id '"
                  + id
                  + "' (first seen on line "
                  + first
                  + "); ids must be unique");
        }
        int label = 0;
        if (labelCol >= 0) {
          String y = f.get(labelCol).strip();
          if (!y.equals("0") && !y.equals("1")) {
            throw new DataFormatException(
                name,
                lineNo,
                "column '" + spec.labelColumn().get() + "': label '" + y + "' is not 0 or 1");
          }
          label = y.equals("1") ? 1 : 0;
        }
        double[] row = new double[featureCols.size()];
        for (int k = 0; k < row.length; k++) {
          String cell = f.get(featureCols.get(k)).strip();
          row[k] = cell.isEmpty() ? Double.NaN : number(cell, name, lineNo, featureNames.get(k));
        }
        String[] text = new String[textCols.size()];
        for (int k = 0; k < text.length; k++) {
          text[k] = f.get(textCols.get(k)).strip();
        }
        table.add(id, label, row, text);
      }
      if (table.rows() == 0) {
        throw new DataFormatException(name, 0, "the file has a header but no data rows");
      }
      return table.build(name);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(
          name, 0, "no such file; check the path in the job or node configuration");
    } catch (CharacterCodingException e) {
      throw new DataFormatException(name, 0, "not valid UTF-8 text; save the file as UTF-8");
    } catch (IOException e) {
      throw new DataFormatException(name, 0, "cannot read the file: " + e.getMessage());
    }
  }

  private static int require(Map<String, Integer> index, String column, String file, String role) {
    Integer i = index.get(column);
    if (i == null) {
      throw new DataFormatException(
          file,
          1,
          "no "
              + role
              + " column '"
              + column
              + "' in the header; columns are "
              + new LinkedHashSet<>(index.keySet()));
    }
    return i;
  }

  private static double number(String cell, String file, int line, String column) {
    try {
      double v = Double.parseDouble(cell);
      if (Double.isInfinite(v) || Double.isNaN(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new DataFormatException(
          file,
          line,
          "column '"
              + column
              + "': '"
              + cell
              + "' is not a number; numeric columns take"
              + " decimals such as -0.5 or 1e3, or an empty cell for a missing value; if the column"
              + " holds categories, declare it categorical");
    }
  }

  /**
   * Splits one CSV line; double quotes group, a doubled quote inside quotes is a quote.
   *
   * @throws DataFormatException naming {@code file}:{@code lineNo} for an unclosed quote
   */
  public static List<String> split(String line, String file, int lineNo) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"' && cur.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else if (c != '\r' || i != line.length() - 1) {
        cur.append(c);
      }
    }
    if (quoted) {
      throw new DataFormatException(
          file, lineNo, "a quoted field is not closed; add the closing \"");
    }
    out.add(cur.toString());
    return out;
  }
}
