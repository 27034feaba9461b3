/**
 * Knowledge model, validation, the in-heap index and the answer decision; free of Spring and Netty.
 */
@NullMarked
package voicecall.rag;

import org.jspecify.annotations.NullMarked;
