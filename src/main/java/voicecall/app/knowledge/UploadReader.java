package voicecall.app.knowledge;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import voicecall.rag.CsvEntries;
import voicecall.rag.EntryDraft;
import voicecall.rag.InvalidKnowledgeException;
import voicecall.rag.RowProblem;

/**
 * Reads knowledge request bodies: checks the content type (415) and size (413) before parsing,
 * decodes strict UTF-8 (with or without a byte-order mark), and turns JSON or CSV into drafts for
 * validation. JSON problems are reported per array element (row = 1-based position).
 */
final class UploadReader {

  static final MediaType CSV = MediaType.parseMediaType("text/csv");

  /** Limit for bodies that hold one entry or one question, whatever the upload limit. */
  static final long SMALL_BODY_BYTES = 64 * 1024;

  private final ObjectMapper json;
  private final long maxBytes;
  private final Scheduler parsing;

  /**
   * Creates the reader.
   *
   * @param json the JSON parser
   * @param maxBytes the upload limit (voicecall.knowledge.max-upload-size)
   * @param parsing where whole uploads are parsed: megabytes of CSV or JSON are CPU work that must
   *     not hold an event loop
   */
  UploadReader(ObjectMapper json, long maxBytes, Scheduler parsing) {
    this.json = json;
    this.maxBytes = maxBytes;
    this.parsing = parsing;
  }

  /** A whole knowledge base: a JSON array of entries or a CSV file. */
  Mono<List<EntryDraft>> readAll(ServerHttpRequest request) {
    MediaType type = contentType(request, List.of(MediaType.APPLICATION_JSON, CSV));
    return text(request, maxBytes)
        .publishOn(parsing)
        .map(
            body -> CSV.isCompatibleWith(type) ? CsvEntries.parse(body) : jsonEntries(parse(body)));
  }

  /** One entry as a JSON object, reported as row 1. */
  Mono<EntryDraft> readOne(ServerHttpRequest request) {
    contentType(request, List.of(MediaType.APPLICATION_JSON));
    return text(request, Math.min(maxBytes, SMALL_BODY_BYTES))
        .map(
            body -> {
              JsonNode node = parse(body);
              List<RowProblem> problems = new ArrayList<>();
              EntryDraft draft = draft(node, 1, problems);
              if (!problems.isEmpty()) {
                throw new InvalidKnowledgeException(problems);
              }
              return draft;
            });
  }

  /** Any JSON body, size-limited, for the question endpoint. */
  Mono<JsonNode> readJson(ServerHttpRequest request) {
    contentType(request, List.of(MediaType.APPLICATION_JSON));
    return text(request, Math.min(maxBytes, SMALL_BODY_BYTES)).map(this::parse);
  }

  private MediaType contentType(ServerHttpRequest request, List<MediaType> accepted) {
    MediaType type = request.getHeaders().getContentType();
    if (type == null || accepted.stream().noneMatch(a -> a.isCompatibleWith(type))) {
      throw new KnowledgeRequestException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Unsupported media type",
          "content type "
              + (type == null ? "(none)" : type.toString())
              + " is not accepted here; use "
              + accepted);
    }
    if (type.getCharset() != null && !StandardCharsets.UTF_8.equals(type.getCharset())) {
      throw new KnowledgeRequestException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Unsupported media type",
          "only UTF-8 is accepted, not " + type.getCharset());
    }
    return type;
  }

  private Mono<String> text(ServerHttpRequest request, long limit) {
    long declared = request.getHeaders().getContentLength();
    if (declared > limit + SWALLOW_BYTES) {
      return Mono.error(tooLarge(limit));
    }
    return request
        .getBody()
        .collect(() -> new Body(limit), Body::add)
        .map(
            body -> {
              if (body.overLimit) {
                throw tooLarge(limit);
              }
              try {
                return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.bytes.toByteArray()))
                    .toString();
              } catch (CharacterCodingException e) {
                throw KnowledgeRequestException.badRequest("the body is not valid UTF-8");
              }
            })
        .map(s -> s.startsWith("\uFEFF") ? s.substring(1) : s);
  }

  /**
   * How much of an over-size body is still read (and dropped) so the client, which is usually still
   * sending, can read the 413; beyond it the connection is simply closed.
   */
  private static final long SWALLOW_BYTES = 1024 * 1024;

  /** A body being read: kept up to the limit, then only counted. */
  private static final class Body {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final long limit;
    long total;
    boolean overLimit;

    Body(long limit) {
      this.limit = limit;
    }

    void add(DataBuffer buffer) {
      try {
        total += buffer.readableByteCount();
        if (total > limit + SWALLOW_BYTES) {
          throw tooLarge(limit);
        }
        if (total > limit) {
          overLimit = true;
          bytes.reset();
        } else {
          byte[] chunk = new byte[buffer.readableByteCount()];
          buffer.read(chunk);
          bytes.write(chunk, 0, chunk.length);
        }
      } finally {
        DataBufferUtils.release(buffer);
      }
    }
  }

  private static KnowledgeRequestException tooLarge(long limit) {
    return new KnowledgeRequestException(
        HttpStatus.CONTENT_TOO_LARGE,
        "Content too large",
        "the body is larger than "
            + limit
            + " bytes (uploads: voicecall.knowledge.max-upload-size; one entry or question: "
            + SMALL_BODY_BYTES
            + ")");
  }

  private JsonNode parse(String body) {
    if (body.isBlank()) {
      throw new InvalidKnowledgeException(List.of(new RowProblem(0, "*", "the body is empty")));
    }
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line "
                  + e.getLocation().getLineNr()
                  + ", column "
                  + e.getLocation().getColumnNr();
      throw new InvalidKnowledgeException(
          List.of(
              new RowProblem(0, "*", "malformed JSON" + where + ": " + e.getOriginalMessage())));
    }
  }

  private static List<EntryDraft> jsonEntries(JsonNode root) {
    if (!root.isArray()) {
      throw new InvalidKnowledgeException(
          List.of(new RowProblem(0, "*", "expected a JSON array of entries")));
    }
    List<RowProblem> problems = new ArrayList<>();
    List<EntryDraft> drafts = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      drafts.add(draft(root.get(i), i + 1, problems));
    }
    if (drafts.isEmpty()) {
      problems.add(new RowProblem(0, "*", "the array has no entries"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidKnowledgeException(problems);
    }
    return drafts;
  }

  private static final List<String> FIELDS =
      List.of("id", "question", "questions", "answer", "tags", "lang");

  private static EntryDraft draft(JsonNode node, int row, List<RowProblem> problems) {
    if (!node.isObject()) {
      problems.add(new RowProblem(row, "*", "expected an object"));
      return new EntryDraft(row, null, null, null, null, null);
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      if (!FIELDS.contains(field.getKey())) {
        problems.add(new RowProblem(row, field.getKey(), "unknown field (known: " + FIELDS + ")"));
      }
    }
    List<@Nullable String> questions = list(node, "questions", row, problems);
    String single = string(node, "question", row, problems);
    if (single != null) {
      List<@Nullable String> split = new ArrayList<>(Arrays.asList(single.split("\\|", -1)));
      if (questions != null) {
        split.addAll(questions);
      }
      questions = split;
    }
    List<@Nullable String> tags = list(node, "tags", row, problems);
    return new EntryDraft(
        row,
        string(node, "id", row, problems),
        questions,
        string(node, "answer", row, problems),
        tags,
        string(node, "lang", row, problems));
  }

  private static @Nullable String string(
      JsonNode node, String field, int row, List<RowProblem> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isString()) {
      problems.add(new RowProblem(row, field, "must be a string"));
      return null;
    }
    return value.asString();
  }

  /** A list of strings, or one string of comma-separated tags. */
  private static @Nullable List<@Nullable String> list(
      JsonNode node, String field, int row, List<RowProblem> problems) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isString() && "tags".equals(field)) {
      return Arrays.asList(value.asString().split(",", -1));
    }
    if (!value.isArray()) {
      problems.add(new RowProblem(row, field, "must be an array of strings"));
      return null;
    }
    List<@Nullable String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isString()) {
        problems.add(new RowProblem(row, field, "must contain only strings"));
        return null;
      }
      out.add(item.asString());
    }
    return out;
  }
}
