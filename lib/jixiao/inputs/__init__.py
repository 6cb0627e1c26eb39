"""The inputs: the data model, reading CSV or Excel, validation, the input workbook, the settings."""
