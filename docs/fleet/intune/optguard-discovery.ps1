<#
.SYNOPSIS
  OptGuard: discovery script for a Microsoft Intune custom compliance policy (docs/fleet.md).

.DESCRIPTION
  Runs `optguard-host.exe status --json` (schema version 1, docs/fleet.md) and returns, as one line
  of JSON, the values optguard-rules.json checks. In Intune set "Run this script using the logged on
  credentials" to Yes: OptGuard keeps each person's history in their own
  %LOCALAPPDATA%\OptGuard\state. With nobody signed in Intune runs it as SYSTEM, which has no
  history: the script then says so (OptGuardRunAsUser = false) instead of reporting SYSTEM's.
  Every failure is reported in OptGuardError, with the counts left at -1; nothing is guessed.
#>
$SupportedSchemaVersion = 1

$hash = [ordered]@{
  OptGuardRunAsUser     = -not [Security.Principal.WindowsIdentity]::GetCurrent().IsSystem
  OptGuardInstalled     = $false
  OptGuardSchemaVersion = 0
  WatchedViolations     = -1
  WatchedDue            = -1
  WatchedNotChecked     = -1
  CatalogVersion        = ''
  OptGuardError         = ''
}

# Where installer\install.ps1 puts the host: per user, or for every user with -System.
$exe = @(
  (Join-Path $env:LOCALAPPDATA 'OptGuard\optguard-host.exe'),
  (Join-Path $env:ProgramFiles 'OptGuard\optguard-host.exe')
) | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1

if (-not $hash.OptGuardRunAsUser) {
  $hash.OptGuardError = 'runs as SYSTEM: set "Run this script using the logged on credentials" to Yes'
} elseif (-not $exe) {
  $hash.OptGuardError = 'optguard-host.exe is not installed (installer\install.ps1)'
} else {
  $hash.OptGuardInstalled = $true
  try {
    $output = & $exe status --json 2>$null
    if ($LASTEXITCODE -ne 0) {
      $hash.OptGuardError = "optguard-host.exe status --json exited with $LASTEXITCODE"
    } else {
      $status = ($output -join "`n") | ConvertFrom-Json
      $hash.OptGuardSchemaVersion = [int64]$status.schema_version
      if ($status.schema -cne 'optguard-status' -or $status.schema_version -ne $SupportedSchemaVersion) {
        $hash.OptGuardError = "unsupported status schema: $($status.schema) $($status.schema_version)"
      } else {
        $hash.WatchedViolations = [int64]$status.summary.violation
        $hash.WatchedDue = [int64]$status.summary.due
        $hash.WatchedNotChecked = [int64]$status.summary.not_checked
        $hash.CatalogVersion = [string]$status.catalog_version
      }
    }
  } catch {
    $hash.OptGuardError = "optguard-host.exe status --json: $($_.Exception.Message)"
  }
}

return $hash | ConvertTo-Json -Compress
