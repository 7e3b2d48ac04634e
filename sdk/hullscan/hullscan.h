/* hullscan.h: the one header a plugin includes. */
#pragma once

#include <hullscan/hull-version.h>
#include <hullscan/hull-severity.h>
#include <hullscan/hull-finding.h>
#include <hullscan/hull-fact.h>
#include <hullscan/hull-image.h>
#include <hullscan/hull-views.h>
#include <hullscan/hull-json.h>
#include <hullscan/hull-plugin.h>
