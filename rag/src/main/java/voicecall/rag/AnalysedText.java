package voicecall.rag;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;

/**
 * A text analysed once: its tokens in order with their position increments (Nori puts a compound
 * and its parts at one position). Indexing replays it instead of analysing the text a second time,
 * which halves the cost of building a version.
 *
 * @param terms the tokens, in order, repeats kept
 * @param increments each token's position increment
 */
record AnalysedText(List<String> terms, List<Integer> increments) {

  AnalysedText {
    terms = List.copyOf(terms);
    increments = List.copyOf(increments);
    if (terms.size() != increments.size()) {
      throw new IllegalArgumentException("one increment per term");
    }
  }

  /** The distinct terms. */
  Set<String> distinct() {
    return new HashSet<>(terms);
  }

  /** A token stream that replays the tokens, for a Lucene field. */
  TokenStream replay() {
    return new Replay(this);
  }

  private static final class Replay extends TokenStream {
    private final AnalysedText text;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment =
        addAttribute(PositionIncrementAttribute.class);
    private int next;

    Replay(AnalysedText text) {
      this.text = text;
    }

    @Override
    public boolean incrementToken() {
      if (next >= text.terms.size()) {
        return false;
      }
      clearAttributes();
      term.setEmpty().append(text.terms.get(next));
      increment.setPositionIncrement(text.increments.get(next));
      next++;
      return true;
    }

    @Override
    public void reset() throws java.io.IOException {
      super.reset();
      next = 0;
    }
  }
}
