package voicecall.rag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What uploaded knowledge must satisfy, and the check that reports every violation at once.
 *
 * @param maxEntries most entries one knowledge base may hold
 * @param maxAnswerChars longest answer, in characters: longer ones take too long to speak
 * @param maxQuestionChars longest single question phrasing, in characters
 */
public record KnowledgeRules(int maxEntries, int maxAnswerChars, int maxQuestionChars) {

  /** Most phrasings of one question. */
  static final int MAX_PHRASINGS = 20;

  /** Most characters of all tags of one entry together, commas included (the database column). */
  static final int MAX_TAG_CHARS = 1000;

  /** Defaults: 20,000 entries, answers up to 600 characters, questions up to 300. */
  public static final KnowledgeRules DEFAULT = new KnowledgeRules(20_000, 600, 300);

  /** Requires positive limits. */
  public KnowledgeRules {
    if (maxEntries < 1 || maxAnswerChars < 1 || maxQuestionChars < 1) {
      throw new IllegalArgumentException("knowledge limits must be positive");
    }
  }

  /**
   * Validates a whole upload.
   *
   * @param drafts the entries as they arrived
   * @return the entries, in the order given, when nothing is wrong
   * @throws InvalidKnowledgeException listing every problem of every row
   */
  public List<Entry> validate(List<EntryDraft> drafts) {
    List<RowProblem> problems = new ArrayList<>();
    if (drafts.size() > maxEntries) {
      problems.add(
          new RowProblem(0, "*", "too many entries: " + drafts.size() + ", at most " + maxEntries));
    }
    Map<String, Integer> firstRowOfId = new HashMap<>();
    List<Entry> entries = new ArrayList<>(drafts.size());
    for (EntryDraft draft : drafts) {
      int before = problems.size();
      Optional<Entry> entry = check(draft, problems);
      if (draft.id() != null && !draft.id().isBlank()) {
        Integer first = firstRowOfId.putIfAbsent(draft.id().strip(), draft.row());
        if (first != null) {
          problems.add(
              new RowProblem(
                  draft.row(),
                  "id",
                  "duplicate id '" + draft.id().strip() + "' (first used in row " + first + ")"));
        }
      }
      if (problems.size() == before) {
        entry.ifPresent(entries::add);
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(Comparator.comparingInt(RowProblem::row));
      throw new InvalidKnowledgeException(problems);
    }
    return List.copyOf(entries);
  }

  /**
   * Validates a single entry (for the one-entry REST operations), reporting it as row 1.
   *
   * @param draft the entry as it arrived
   * @return the entry
   * @throws InvalidKnowledgeException listing every problem
   */
  public Entry validateOne(EntryDraft draft) {
    List<RowProblem> problems = new ArrayList<>();
    Optional<Entry> entry = check(draft, problems);
    if (!problems.isEmpty() || entry.isEmpty()) {
      throw new InvalidKnowledgeException(problems);
    }
    return entry.get();
  }

  private Optional<Entry> check(EntryDraft d, List<RowProblem> problems) {
    int row = d.row();
    int before = problems.size();
    String id = d.id() == null ? "" : d.id().strip();
    if (id.isEmpty()) {
      problems.add(new RowProblem(row, "id", "id is missing"));
    } else if (!Entry.ID.matcher(id).matches()) {
      problems.add(
          new RowProblem(
              row, "id", "id must be 1 to 128 letters, digits or . _ : - but was '" + id + "'"));
    }
    List<String> questions = new ArrayList<>();
    if (d.questions() != null) {
      for (@Nullable String q : d.questions()) {
        String text = q == null ? "" : collapse(q);
        if (text.isEmpty()) {
          problems.add(new RowProblem(row, "question", "a question phrasing is empty"));
        } else if (text.indexOf('|') >= 0) {
          problems.add(new RowProblem(row, "question", "a question phrasing contains '|'"));
        } else if (text.length() > maxQuestionChars) {
          problems.add(
              new RowProblem(
                  row,
                  "question",
                  "question is "
                      + text.length()
                      + " characters long, at most "
                      + maxQuestionChars));
        } else {
          questions.add(text);
        }
      }
    }
    if (d.questions() == null || d.questions().isEmpty()) {
      problems.add(new RowProblem(row, "question", "question is missing"));
    } else if (d.questions().size() > MAX_PHRASINGS) {
      problems.add(
          new RowProblem(
              row, "question", d.questions().size() + " phrasings, at most " + MAX_PHRASINGS));
    }
    String answer = d.answer() == null ? "" : d.answer().strip();
    if (answer.isEmpty()) {
      problems.add(new RowProblem(row, "answer", "answer is missing"));
    } else if (answer.length() > maxAnswerChars) {
      problems.add(
          new RowProblem(
              row,
              "answer",
              "answer is "
                  + answer.length()
                  + " characters long, too long to speak (at most "
                  + maxAnswerChars
                  + ")"));
    }
    List<String> tags = new ArrayList<>();
    if (d.tags() != null) {
      for (@Nullable String t : d.tags()) {
        String tag = t == null ? "" : collapse(t);
        if (tag.isEmpty()) {
          continue;
        }
        if (tag.indexOf(',') >= 0) {
          problems.add(new RowProblem(row, "tags", "a tag contains ','"));
        } else if (!tags.contains(tag)) {
          tags.add(tag);
        }
      }
    }
    if (String.join(",", tags).length() > MAX_TAG_CHARS) {
      problems.add(
          new RowProblem(row, "tags", "tags are longer than " + MAX_TAG_CHARS + " characters"));
    }
    @Nullable Language language = null;
    if (d.language() != null && !d.language().isBlank()) {
      language = Language.fromCode(d.language()).orElse(null);
      if (language == null) {
        problems.add(
            new RowProblem(
                row, "lang", "unknown language '" + d.language().strip() + "' (use ko or en)"));
      }
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(
        language == null
            ? Entry.detected(id, questions, answer, tags)
            : new Entry(id, questions, answer, tags, language));
  }

  private static String collapse(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }
}
