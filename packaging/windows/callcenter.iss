; Inno Setup 6 script: a per-machine installer for the Windows bundle (cannot be built on the
; Linux CI; see README, "Building the packages"). Steps, on Windows with Python 3.11+ and Inno
; Setup 6 (iscc on PATH), from the checkout:
;   py -m venv build\venv && build\venv\Scripts\pip install . "pyinstaller>=6.10,<7"
;   build\venv\Scripts\python packaging\render_icons.py build\icons
;   build\venv\Scripts\python packaging\metadata.py inno build\metadata.iss
;   build\venv\Scripts\pyinstaller --noconfirm --clean packaging\callcenter.spec
;   iscc packaging\windows\callcenter.iss     -> dist\callcenter-VERSION-windows-x64-setup.exe
;
; Names, version and ids come from packaging\metadata.toml (through build\metadata.iss), so this
; file never repeats them. Silent install, for software distribution:
;   callcenter-...-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/DIR="C:\..."]
;       [/CONFIG="\\server\share\callcenter\config.toml"]
; /CONFIG copies the site's config file to %ProgramData%\CallCenter\config.toml, the system
; config file every user of the machine reads. Uninstall silently with
;   "%ProgramFiles%\Call Center\unins000.exe" /VERYSILENT

#include "..\..\build\metadata.iss"

[Setup]
AppId={{{#AppId}}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
AppPublisherURL={#AppURL}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=callcenter-{#AppVersion}-windows-x64-setup
SetupIconFile=build\icons\callcenter.ico
UninstallDisplayIcon={app}\{#AppGuiExeName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes

[Files]
Source: "dist\callcenter\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; The site's configuration, when /CONFIG= names one; an existing file is kept unless it differs.
Source: "{param:CONFIG}"; DestDir: "{commonappdata}\CallCenter"; DestName: "config.toml"; \
    Flags: external skipifsourcedoesntexist; Check: ConfigGiven

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppGuiExeName}"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"

[Registry]
; tel: and callto: links open `callcenter-gui.exe pop URL` (Default Apps lists the program;
; the user or a group policy picks it as the handler).
Root: HKLM; Subkey: "Software\Classes\CallCenter.PhoneLink"; ValueType: string; ValueData: "{#AppName} phone link"; Flags: uninsdeletekey
Root: HKLM; Subkey: "Software\Classes\CallCenter.PhoneLink"; ValueName: "URL Protocol"; ValueType: string; ValueData: ""
Root: HKLM; Subkey: "Software\Classes\CallCenter.PhoneLink\DefaultIcon"; ValueType: string; ValueData: "{app}\{#AppGuiExeName},0"
Root: HKLM; Subkey: "Software\Classes\CallCenter.PhoneLink\shell\open\command"; ValueType: string; ValueData: """{app}\{#AppGuiExeName}"" pop ""%1"""
Root: HKLM; Subkey: "Software\CallCenter\Capabilities"; ValueName: "ApplicationName"; ValueType: string; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKLM; Subkey: "Software\CallCenter\Capabilities"; ValueName: "ApplicationDescription"; ValueType: string; ValueData: "Looks up the caller and pops the customer record"
Root: HKLM; Subkey: "Software\CallCenter\Capabilities\URLAssociations"; ValueName: "tel"; ValueType: string; ValueData: "CallCenter.PhoneLink"
Root: HKLM; Subkey: "Software\CallCenter\Capabilities\URLAssociations"; ValueName: "callto"; ValueType: string; ValueData: "CallCenter.PhoneLink"
Root: HKLM; Subkey: "Software\RegisteredApplications"; ValueName: "{#AppName}"; ValueType: string; ValueData: "Software\CallCenter\Capabilities"; Flags: uninsdeletevalue
; `callcenter` in a command prompt (the admin command).
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueName: "Path"; ValueType: expandsz; ValueData: "{olddata};{app}"; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\{#AppGuiExeName}"; Description: "Start {#AppName}"; Flags: nowait postinstall skipifsilent

[Code]
function ConfigGiven: Boolean;
begin
  Result := ExpandConstant('{param:CONFIG}') <> '';
end;

function NotOnPath(Dir: string): Boolean;
var
  Path: string;
begin
  if not RegQueryStringValue(HKLM, 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment', 'Path', Path) then
    Path := '';
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';') = 0;
end;
