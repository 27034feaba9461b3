/** Tests of the knowledge model, validation, index, decisions and retrieval accuracy. */
@NullMarked
package voicecall.rag;

import org.jspecify.annotations.NullMarked;
