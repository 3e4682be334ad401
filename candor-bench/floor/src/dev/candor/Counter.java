package dev.candor;

/** The floor's counter handle: the one method the tiny app calls. */
public interface Counter {
    void increment();
}
