# Shared by every host of the fleet: a small, plain NixOS module.
{ ... }:
{
  services.journald.extraConfig = "SystemMaxUse=200M";
}
