package org.openswanj.pluto.ikev2;

import java.util.function.Predicate;

/**
 * The two plutos a fuzz target feeds, kept across inputs (making them costs a negotiation) and made anew after
 * {@code every} inputs (half-open SAs, logs pile up) or when they no longer hold what the target needs.
 */
public final class FuzzPair {
  /** Makes a pair ready for the target's inputs. */
  @FunctionalInterface
  public interface Maker {
    TwoPlutos make() throws Exception;
  }

  private final int every;
  private final Maker maker;
  private final Predicate<TwoPlutos> usable;
  private TwoPlutos pair;
  private int uses;

  public FuzzPair(int every, Maker maker, Predicate<TwoPlutos> usable) {
    this.every = every;
    this.maker = maker;
    this.usable = usable;
  }

  public TwoPlutos get() throws Exception {
    if (pair == null || ++uses >= every || !usable.test(pair)) {
      pair = maker.make();
      uses = 0;
    }
    return pair;
  }
}
