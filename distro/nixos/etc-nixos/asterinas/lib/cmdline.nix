# Renders the kernel command line that GRUB hands to the Asterinas kernel.
#
# This is a pure function: it uses builtins only (no nixpkgs, no lib), so the
# test suite evaluates it with a bare `nix-instantiate --eval` and so can any
# tool that wants to preview the command line. The NixOS module in
# ../modules/core.nix calls it and writes the result to $out/kernel-params.
#
# Layout of the result (facts: kernel_parameters.distro_stage1_parameters,
# upstream source distro/etc_nixos/modules/core.nix; parsing rules from
# kernel/core/comps/cmdline/src/lib.rs):
#
#   PATH=... earlycon loglevel=<L> console=<C> <extra...> -- root=<R> init=<I> rd.break=<0|1>
#
# Everything before `--` is for the kernel. `earlycon` and `loglevel` are read
# early by the kernel; an unknown `key=value` such as PATH becomes part of the
# first process's environment, so our busybox stage 1 finds its tools.
# Everything after `--` is passed to that first process (the stage-1 /init in
# the initramfs) as its arguments: it reads root=, init= and rd.break= itself
# and does not rely on the kernel's own root= handling.
#
# Arguments:
#   console              "tty0" | "hvc0" | "ttyS0"  (ttyS0 is valid for the
#                        kernel, the NixOS option only offers tty0 and hvc0)
#   logLevel             "error" | "warn" | "info" | "debug" | "trace"
#   root                 block device of the ext2 root, e.g. "/dev/vda2"
#   init                 stage-2 init on that root, e.g.
#                        "/nix/var/nix/profiles/system/init"
#   extra                list of additional kernel parameters, placed after
#                        the distro's own and before `--`
#   breakIntoStage1Shell bool, optional (default false): rd.break=1 makes the
#                        stage-1 script open a shell instead of switching root
{
  console,
  logLevel,
  root,
  init,
  extra ? [ ],
  breakIntoStage1Shell ? false,
}:
let
  inherit (builtins)
    concatStringsSep
    elem
    isList
    isString
    match
    throw
    ;

  fail = what: throw "aster_nixos kernel command line: ${what}";

  consoles = [
    "tty0"
    "hvc0"
    "ttyS0"
  ];
  logLevels = [
    "error"
    "warn"
    "info"
    "debug"
    "trace"
  ];

  # The kernel splits on whitespace and treats double quotes specially, and
  # `--` would end the kernel's part early. Refuse such tokens instead of
  # producing a command line that means something else than it says.
  checkToken =
    token:
    if !isString token then
      fail "every entry of extra must be a string"
    else if token == "" then
      fail "empty entry in extra"
    else if token == "--" then
      fail "\"--\" in extra would hand the rest of the line to stage 1"
    else if match "[^[:space:]\"]+" token == null then
      fail "entry ${token} contains whitespace or a double quote"
    else
      token;

  checkPath =
    name: value:
    if isString value && match "/[^[:space:]\"]*" value != null then
      value
    else
      fail "${name} must be an absolute path without spaces, got ${toString value}";

  checkedConsole =
    if elem console consoles then
      console
    else
      fail "console must be one of ${concatStringsSep ", " consoles}, got ${toString console}";

  # The kernel knows off/emerg/alert/crit/error/warn/notice/info/debug (and
  # 0-8) but not "trace"; it ignores unknown values and stays at its default,
  # which is debug, the most verbose level it has. Say "debug" explicitly so
  # the file shows what the kernel will do.
  kernelLogLevel =
    if !(elem logLevel logLevels) then
      fail "logLevel must be one of ${concatStringsSep ", " logLevels}, got ${toString logLevel}"
    else if logLevel == "trace" then
      "debug"
    else
      logLevel;

  checkedExtra = if isList extra then map checkToken extra else fail "extra must be a list of strings";

  kernelPart = [
    # Busybox lives in /bin of the initramfs; the second entry serves stage 2.
    "PATH=/bin:/nix/var/nix/profiles/system/sw/bin"
    "earlycon"
    "loglevel=${kernelLogLevel}"
    "console=${checkedConsole}"
  ]
  ++ checkedExtra;

  stage1Part = [
    "root=${checkPath "root" root}"
    "init=${checkPath "init" init}"
    "rd.break=${if breakIntoStage1Shell then "1" else "0"}"
  ];
in
concatStringsSep " " (kernelPart ++ [ "--" ] ++ stage1Part)
