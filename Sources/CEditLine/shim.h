// libedit (BSD editline) as installed by Debian's libedit-dev, found through pkg-config libedit.
#include <stdio.h>
#include <histedit.h>
