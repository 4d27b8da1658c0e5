package org.openswanj.pluto.ikev2;

/** What the daemon does when a Child SA is installed or removed (Openswan's updown). Called on the loop. */
public interface ChildEvents {
  ChildEvents NONE = new ChildEvents() {
    @Override
    public void up(ChildSa child) {}

    @Override
    public void down(ChildSa child) {}
  };

  void up(ChildSa child);

  void down(ChildSa child);
}
