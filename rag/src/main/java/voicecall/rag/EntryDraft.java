package voicecall.rag;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An entry as it arrived from outside (a CSV row, a JSON object), before validation. Any field may
 * be missing; {@link KnowledgeRules#validate} turns drafts into {@link Entry entries} or reports
 * every problem.
 *
 * @param row where it came from: the CSV line on which the record starts, or the 1-based position
 *     in a JSON array
 * @param id the id as given
 * @param questions the phrasings as given
 * @param answer the answer as given
 * @param tags the tags as given
 * @param language the language code as given; null or blank means detect it
 */
public record EntryDraft(
    int row,
    @Nullable String id,
    @Nullable List<@Nullable String> questions,
    @Nullable String answer,
    @Nullable List<@Nullable String> tags,
    @Nullable String language) {

  /** Rejects a non-positive row number, which would make error reports meaningless. */
  public EntryDraft {
    if (row < 1) {
      throw new IllegalArgumentException("row must be >= 1, was " + row);
    }
  }
}
