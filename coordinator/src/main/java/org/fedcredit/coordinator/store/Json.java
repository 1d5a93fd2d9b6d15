package org.fedcredit.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** JSON text columns: checked to be an object before they are stored, built for store events. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static String requireObject(String json, String what) {
    Objects.requireNonNull(json, what);
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          what + " is not valid JSON (" + e.getOriginalMessage() + "); give a JSON object");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object like {\"k\": 1}: " + json);
    }
    return json;
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String text(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + node, e);
    }
  }
}
