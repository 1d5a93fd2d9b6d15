package org.fedcredit.xaiexplainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How model columns are grouped for attribution: one group per raw characteristic (a categorical
 * column's indicators {@code bank:industry=catering} and a binned column's indicators {@code
 * provider:x0__bin3} count as their raw column {@code bank:industry}, {@code provider:x0}), and one
 * block {@code party:*} for each party whose policy forbids per-column disclosure.
 *
 * <p>Keys are {@code party:column}. Groups are numbered in order of first appearance.
 *
 * @param names the group names, e.g. {@code bank:x3} or {@code tax-bureau:*}
 * @param groupOfColumn the group number of each model column
 */
public record FeatureGroups(List<String> names, int[] groupOfColumn) {

  public FeatureGroups {
    names = List.copyOf(names);
    groupOfColumn = groupOfColumn.clone();
    if (Set.copyOf(names).size() != names.size()) {
      throw new IllegalArgumentException("FeatureGroups: group names must be unique: " + names);
    }
    for (int k = 0; k < groupOfColumn.length; k++) {
      if (groupOfColumn[k] < 0 || groupOfColumn[k] >= names.size()) {
        throw new IllegalArgumentException(
            "FeatureGroups: column "
                + k
                + " is in group "
                + groupOfColumn[k]
                + " but there are "
                + names.size()
                + " groups");
      }
    }
  }

  /** The group number of each model column (a copy). */
  @Override
  public int[] groupOfColumn() {
    return groupOfColumn.clone();
  }

  /** The number of groups. */
  public int size() {
    return names.size();
  }

  /**
   * Groups model columns by raw characteristic, with every column of a party in {@code
   * blockedParties} in one group {@code party:*}.
   *
   * @param columnKeys the model's columns as {@code party:column}, in model order
   * @param blockedParties parties whose columns may not be shown one by one
   */
  public static FeatureGroups of(List<String> columnKeys, Collection<String> blockedParties) {
    Map<String, Integer> index = new LinkedHashMap<>();
    int[] groups = new int[columnKeys.size()];
    for (int k = 0; k < columnKeys.size(); k++) {
      String key = columnKeys.get(k);
      String party = partyOf(key);
      String group = blockedParties.contains(party) ? party + ":*" : rawCharacteristic(key);
      Integer g = index.get(group);
      if (g == null) {
        g = index.size();
        index.put(group, g);
      }
      groups[k] = g;
    }
    return new FeatureGroups(new ArrayList<>(index.keySet()), groups);
  }

  /** Each model column its own group, named by its key. */
  public static FeatureGroups identity(List<String> columnKeys) {
    int[] groups = new int[columnKeys.size()];
    Arrays.setAll(groups, k -> k);
    return new FeatureGroups(columnKeys, groups);
  }

  /**
   * The party of a key {@code party:column}.
   *
   * @throws IllegalArgumentException if the key has no party prefix
   */
  public static String partyOf(String key) {
    int colon = key.indexOf(':');
    if (colon <= 0 || colon == key.length() - 1) {
      throw new IllegalArgumentException(
          "'" + key + "' is not a characteristic key; write party:column, e.g. bank:x3");
    }
    return key.substring(0, colon);
  }

  /**
   * The raw characteristic behind a model column: {@code bank:industry=catering} → {@code
   * bank:industry} (a categorical indicator), {@code provider:x0__bin3} → {@code provider:x0} (a
   * bin indicator); any other key is its own raw characteristic.
   */
  public static String rawCharacteristic(String key) {
    int colon = key.indexOf(':');
    String column = key.substring(colon + 1);
    int eq = column.indexOf('=');
    if (eq > 0) {
      return key.substring(0, colon + 1 + eq);
    }
    int bin = column.indexOf("__bin");
    if (bin > 0) {
      return key.substring(0, colon + 1 + bin);
    }
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureGroups f
        && names.equals(f.names)
        && Arrays.equals(groupOfColumn, f.groupOfColumn);
  }

  @Override
  public int hashCode() {
    return 31 * names.hashCode() + Arrays.hashCode(groupOfColumn);
  }

  @Override
  public String toString() {
    return "FeatureGroups[names="
        + names
        + ", groupOfColumn="
        + Arrays.toString(groupOfColumn)
        + "]";
  }
}
