package voicecall.rag;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The hand-written evaluation set under {@code src/test/resources/eval}, shared by tests. */
final class EvaluationSet {

  /** One query and the entry that should answer it (null when it is out of scope). */
  record Query(@Nullable String expectedId, String text) {}

  private EvaluationSet() {}

  static List<Entry> entries(Language lang) {
    return KnowledgeRules.DEFAULT.validate(
        CsvEntries.parse(resource("/eval/faq-" + lang.code() + ".csv")));
  }

  static List<Entry> allEntries() {
    List<Entry> all = new ArrayList<>(entries(Language.EN));
    all.addAll(entries(Language.KO));
    return all;
  }

  static List<Query> queries(Language lang) {
    List<Query> queries = new ArrayList<>();
    for (String line : resource("/eval/queries-" + lang.code() + ".tsv").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\t", 2);
      queries.add(new Query("-".equals(parts[0]) ? null : parts[0], parts[1].strip()));
    }
    return queries;
  }

  static String resource(String path) {
    try (InputStream in = EvaluationSet.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
