/// IML, the template and expression language of Make custom apps (see `docs/` and the project's spec).
public enum IML {}
