/** A user's application as a named module: it reads nnjava's modules and names no backend. */
module consumer.modular {
    requires org.nnjava.data; // and, transitively, org.nnjava.api

    exports consumer.modular;
}
