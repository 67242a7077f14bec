variable "cidr" {
  type = string
}

variable "transit_gateway_id" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, 0)
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "isolated" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 8, 1)
  availability_zone = "us-east-1a"
}

# The way back to the shared VPC at the root.
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.this.id

  route {
    cidr_block         = "10.3.0.0/16"
    transit_gateway_id = var.transit_gateway_id
  }
}

resource "aws_route_table" "isolated" {
  vpc_id = aws_vpc.this.id
}

resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}

resource "aws_route_table_association" "isolated" {
  subnet_id      = aws_subnet.isolated.id
  route_table_id = aws_route_table.isolated.id
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id = var.transit_gateway_id
  vpc_id             = aws_vpc.this.id
  subnet_ids         = [aws_subnet.app.id]
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "app_route_table_id" {
  value = aws_route_table.app.id
}

output "isolated_route_table_id" {
  value = aws_route_table.isolated.id
}
