# A hand-written NixOS module, imported by examples/with-override.toml.
{ pkgs, ... }:

{
  environment.variables.EDITOR = "vim";
}
