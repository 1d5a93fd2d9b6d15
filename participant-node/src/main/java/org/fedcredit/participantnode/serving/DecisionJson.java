package org.fedcredit.participantnode.serving;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A {@link Decision} as JSON and back, exactly: {@code read(write(d)).equals(d)} for every
 * decision, including NaN score and probability (written as the string {@code "NaN"}), {@code
 * -0.0}, a {@code null} explanation and instants to the nanosecond (ISO-8601 text). Field names are
 * the record components' names. Used by the decision store for the decision as issued, and usable
 * for the {@code POST /v1/decisions} answer.
 */
public final class DecisionJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .addModule(
              new SimpleModule("fedcredit-instant")
                  .addSerializer(Instant.class, new InstantWriter())
                  .addDeserializer(Instant.class, new InstantReader()))
          .build();

  private DecisionJson() {}

  /** The decision as one JSON object. */
  public static String write(Decision decision) {
    try {
      return MAPPER.writeValueAsString(decision);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write decision " + decision.token() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * {@link #write} in UTF-8, written as bytes directly (the same bytes as {@code
   * write(decision).getBytes(UTF_8)}, without encoding a string of Chinese texts afterwards).
   */
  public static byte[] writeUtf8(Decision decision) {
    try {
      return MAPPER.writeValueAsBytes(decision);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write decision " + decision.token() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The decision {@code json} describes.
   *
   * @throws IllegalArgumentException if it is not a complete decision object, naming the field
   */
  public static Decision read(String json) {
    try {
      Decision decision = MAPPER.readValue(json, Decision.class);
      if (decision == null) {
        throw new IllegalArgumentException("decision JSON is null; expected a decision object");
      }
      return decision;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a decision JSON object: "
              + e.getOriginalMessage()
              + " at "
              + e.getLocation().offsetDescription(),
          e);
    }
  }

  /** The mapper, for callers that embed decisions in larger documents. */
  public static ObjectMapper mapper() {
    return MAPPER.copy();
  }

  private static final class InstantWriter extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class InstantReader extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant)
            ctxt.handleUnexpectedToken(
                Instant.class, p.currentToken(), p, "an instant must be ISO-8601 text");
      }
      String text = p.getText();
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e) {
        return (Instant)
            ctxt.handleWeirdStringValue(
                Instant.class, text, "not an ISO-8601 instant like 2026-11-27T01:20:33.5Z");
      }
    }
  }
}
